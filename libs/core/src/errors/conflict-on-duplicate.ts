import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { type DomainError } from './domain-error';

/**
 * Runs `work`; when a unique index refuses a row (two requests raced past the existence check),
 * the loser gets `conflict()` — a sentence about what is taken — instead of a database error.
 */
export async function conflictOnDuplicate<T>(conflict: () => DomainError, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof UniqueConstraintViolationException) throw conflict();
    throw error;
  }
}
