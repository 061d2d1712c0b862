import { DomainError, unauthenticated } from '@hub/core';

/** One sentence for every login failure: it never tells whether the email exists. */
export const invalidCredentials = () => unauthenticated('The email or password is incorrect.');

export const invalidRefreshToken = () => unauthenticated('This refresh token is not valid any more. Sign in again.');

export const sessionEnded = () =>
  unauthenticated('Your session has ended or your access token has expired. Refresh the token or sign in again.');

export const emailTaken = () =>
  new DomainError('CONFLICT', 'A member with this email already exists. Add that member to the task force instead.', {
    field: 'email',
  });

export const alreadyMember = () =>
  new DomainError('CONFLICT', 'This person is already a member of the task force. Change their role instead.', {
    field: 'email',
  });

export const lastCoordinator = () =>
  new DomainError('CONFLICT', 'A task force must keep at least one coordinator. Make someone else coordinator first.', {
    field: 'role',
  });

export const agencyNameTaken = (name: string) =>
  new DomainError('CONFLICT', `An agency named "${name}" already exists.`, { field: 'name' });
