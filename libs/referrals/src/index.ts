export * from './referral.entity';
export * from './hearing.entity';
export * from './referrals.policy';
export * from './referrals.service';
export * from './hearings.service';
export * from './shared-sections.repository';
export * from './referrals.module';
