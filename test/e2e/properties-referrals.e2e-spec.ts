import { describeAreaProperties } from '../utils/area-properties';

describeAreaProperties('referrals', 'referrals, consents and hearings');
