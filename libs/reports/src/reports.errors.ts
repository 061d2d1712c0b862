import { badInput, DomainError, notFound } from '@hub/core';

export const invalidPeriod = (field: string, message: string) => badInput(field, message);

export const periodNotClosed = (period: string) =>
  new DomainError(
    'NOT_FOUND',
    `The national roll-up for ${period} does not exist yet: it is computed when the quarter is closed (npm run cli -- reports:close).`,
  );

export const nationalQuartersOnly = () =>
  badInput(
    'period',
    'The national roll-up is published by quarter (for example 2026-Q3), so that no figure can be derived by subtracting two periods.',
  );

export const unknownTable = () => notFound('The report table');
