import { registerEnumType } from '@nestjs/graphql';
import { AgencyKind, CaseSection, TaskForceRole } from '@hub/access';

registerEnumType(AgencyKind, { name: 'AgencyKind', description: 'The kind of agency; drives need-to-know.' });
registerEnumType(TaskForceRole, { name: 'TaskForceRole' });
registerEnumType(CaseSection, { name: 'CaseSection', description: 'Sections of a shared case summary.' });

export { AgencyKind, CaseSection, TaskForceRole };
