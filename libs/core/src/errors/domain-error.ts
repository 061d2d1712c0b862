import { IntrinsicException } from '@nestjs/common';

/**
 * The codes a client sees in `extensions.code`. Every domain throws a DomainError with one of these;
 * the GraphQL formatter and the socket acknowledgement filter map them in one place each.
 */
export type ErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'BAD_USER_INPUT'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'RATE_LIMITED'
  | 'SERVICE_UNAVAILABLE'
  | 'CURSOR_EXPIRED'
  | 'CONSENT_REQUIRED';

/** Intrinsic: an expected outcome, not a fault, so Nest does not log it as an error. */
export class DomainError extends IntrinsicException {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Safe to show to the client: never values the user typed into free text, never internals. */
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const isDomainError = (error: unknown): error is DomainError => error instanceof DomainError;

export function badInput(field: string, message: string): DomainError {
  return new DomainError('BAD_USER_INPUT', message, { field });
}

export function notFound(what: string): DomainError {
  return new DomainError('NOT_FOUND', `${what} was not found, or you do not have access to it.`);
}

export function forbidden(message: string, extensions: Record<string, unknown> = {}): DomainError {
  return new DomainError('FORBIDDEN', message, extensions);
}

export function unauthenticated(
  message = 'Sign in first: send a valid access token as "Authorization: Bearer <token>".',
): DomainError {
  return new DomainError('UNAUTHENTICATED', message);
}
