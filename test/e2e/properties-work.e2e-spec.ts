import { describeAreaProperties } from '../utils/area-properties';

describeAreaProperties('work', 'action items and case summaries');
