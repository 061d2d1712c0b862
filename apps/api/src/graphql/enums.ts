import { registerEnumType } from '@nestjs/graphql';
import { AgencyKind, CaseSection, TaskForceRole } from '@hub/access';
import { ActionItemPriority, ActionItemScope, ActionItemStatus } from '@hub/action-items';
import { CaseStage, ExploitationForm } from '@hub/case-summaries';
import { AttendanceMode, MeetingStatus, SeriesCadence } from '@hub/meetings';

registerEnumType(AgencyKind, { name: 'AgencyKind', description: 'The kind of agency; drives need-to-know.' });
registerEnumType(TaskForceRole, { name: 'TaskForceRole' });
registerEnumType(CaseSection, { name: 'CaseSection', description: 'Sections of a shared case summary.' });

export { AgencyKind, CaseSection, TaskForceRole };

registerEnumType(CaseStage, { name: 'CaseStage' });
registerEnumType(ExploitationForm, { name: 'ExploitationForm' });
registerEnumType(MeetingStatus, { name: 'MeetingStatus' });
registerEnumType(AttendanceMode, { name: 'AttendanceMode' });
registerEnumType(SeriesCadence, {
  name: 'SeriesCadence',
  description: 'WEEKLY: every `interval` weeks on `weekday`; MONTHLY: the `weekOfMonth`-th `weekday` of the month.',
});
registerEnumType(ActionItemStatus, { name: 'ActionItemStatus' });
registerEnumType(ActionItemPriority, { name: 'ActionItemPriority' });
registerEnumType(ActionItemScope, {
  name: 'ActionItemScope',
  description:
    "MINE: assigned to you; MY_AGENCY: to your agency; FOR_ME: yours and your agency's not yet taken; TASK_FORCE: all.",
});

export {
  ActionItemPriority,
  ActionItemScope,
  ActionItemStatus,
  AttendanceMode,
  CaseStage,
  ExploitationForm,
  MeetingStatus,
  SeriesCadence,
};
