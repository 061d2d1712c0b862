import { badInput, DomainError, unauthenticated } from '@hub/core';

export const invalidApiKey = () =>
  unauthenticated('This API key is not valid: it was revoked, it expired, or its service account was disabled.');

export const accountDisabled = () =>
  new DomainError('CONFLICT', 'This service account is disabled. Create a new one instead.', { field: 'id' });

export const keyRevoked = () =>
  new DomainError('CONFLICT', 'This API key is already revoked or expired. Create a new key instead.', { field: 'id' });

export const badWebhookUrl = (why: string) => badInput('url', `The webhook address ${why}.`);

export const unknownEventType = (type: string) =>
  badInput('eventTypes', `"${type.slice(0, 48)}" is not an event type of the hub (see the AsyncAPI document).`);
