import { DomainError } from '@hub/core';

export const codeTaken = (code: string) =>
  new DomainError('CONFLICT', `A task force with the code "${code}" already exists. Choose another code.`, {
    field: 'code',
  });
