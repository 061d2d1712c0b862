import { ParseUUIDPipe } from '@nestjs/common';
import { badInput } from '@hub/core';

/** Ids are UUIDs: anything else is refused before it reaches the database. */
export const uuid = (field: string) =>
  new ParseUUIDPipe({ exceptionFactory: () => badInput(field, `${field} must be an id as returned by the API (a UUID).`) });
