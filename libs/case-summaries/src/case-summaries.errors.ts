import { type CaseSection } from '@hub/access';
import { DomainError, forbidden } from '@hub/core';
import { SECTION_PROPERTY } from './case-summary.entity';

export const staleVersion = (currentVersion: number, baseVersion: number) =>
  new DomainError(
    'CONFLICT',
    `Someone saved this case summary after you opened it (you edited version ${baseVersion}, it is now version ${currentVersion}). Reload it, reapply your change and save again.`,
    { field: 'baseVersion', currentVersion },
  );

export const caseCodeTaken = (code: string) =>
  new DomainError(
    'CONFLICT',
    `The case code "${code}" is already used in this task force. Choose another pseudonymous code.`,
    { field: 'caseCode' },
  );

export const sectionNotWritable = (section: CaseSection) =>
  forbidden(`Your agency may not write the ${section.toLowerCase().replace('_', ' ')} section of case summaries.`, {
    field: `sections.${SECTION_PROPERTY[section]}`,
  });

export const headerNotWritable = (field: string) =>
  forbidden(
    'Only agencies that may write the overview may change the case code, stage, forms of exploitation or counts.',
    { field },
  );
