import { badInput, DomainError, forbidden } from '@hub/core';

export const consentRequired = () =>
  new DomainError(
    'CONSENT_REQUIRED',
    'No consent of the person covers this referral: record one that names this purpose, this receiving agency and these sections, or ask a coordinator to override with a reason.',
    { field: 'caseSummaryId' },
  );

export const notInformed = () =>
  badInput(
    'explainedPoints',
    'A consent is informed only when every point was explained (purpose, how the data is used, how long it is kept, the right of access, how to withdraw) and read back.',
  );

export const minorNeedsBasis = (field: 'legalBasis' | 'guardianRole') =>
  badInput(field, 'For a minor, record the legal basis for sharing and the role of the guardian or representative.');

export const sectionNotYours = (section: string) =>
  forbidden(`Your agency may not read the ${section.toLowerCase().replace('_', ' ')} section, so it cannot share it.`, {
    field: 'sections',
  });

export const receiverNotInTaskForce = () =>
  badInput('toAgencyId', 'The receiving agency has no member in this task force. Refer to an agency around the table.');

export const referToYourself = () => badInput('toAgencyId', 'A referral goes to another agency than yours.');

export const transitionRefused = (from: string, to: string) =>
  new DomainError('CONFLICT', `A referral that is ${from.toLowerCase()} cannot become ${to.toLowerCase()}.`, {
    field: 'status',
  });

export const notYourSide = (who: 'receiving' | 'referring') =>
  forbidden(`Only the ${who} agency may do this with a referral.`, { field: 'status' });

export const reasonRequired = (field: string) => badInput(field, `Give a reason (${field}).`);

export const consentWithdrawnAlready = () =>
  new DomainError('CONFLICT', 'This consent was already withdrawn.', { field: 'consentId' });

export const notTheOwner = () =>
  forbidden('Only the agency that owns this checklist item (or a coordinator) may change it.', { field: 'item' });

export const languageRequired = () => badInput('language', 'Say which language the interpreter was booked for.');
