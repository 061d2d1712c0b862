import { ParseUUIDPipe } from '@nestjs/common';
import { badInput } from '@hub/core';

/** Ids are UUIDs: anything else is refused before it reaches the database. `optional` lets null through. */
export const uuid = (field: string, options: { optional?: boolean } = {}) =>
  new ParseUUIDPipe({
    optional: options.optional,
    exceptionFactory: () => badInput(field, `${field} must be an id as returned by the API (a UUID).`),
  });
