import { describeAreaProperties } from '../utils/area-properties';

describeAreaProperties('meetings', 'meetings, agenda, attendance, minutes and calendar feeds');
