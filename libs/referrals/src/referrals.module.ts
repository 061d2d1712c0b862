import { MikroOrmModule } from '@mikro-orm/nestjs';
import { Global, Module, type OnModuleInit } from '@nestjs/common';
import { AuditModule } from '@hub/audit';
import { CaseSummariesModule, SECTION_SHARING } from '@hub/case-summaries';
import { EventStreams } from '@hub/events';
import { Hearing, HearingReadinessItem } from './hearing.entity';
import { HearingsService } from './hearings.service';
import { ConsentRefusalTally, Referral, ReferralConsent } from './referral.entity';
import { ReferralsService } from './referrals.service';
import { SharedSectionsRepository } from './shared-sections.repository';

/**
 * Global so that the case summaries (which this domain builds on) can read what referrals share
 * through SECTION_SHARING without importing this module back.
 */
@Global()
@Module({
  imports: [
    MikroOrmModule.forFeature([Referral, ReferralConsent, ConsentRefusalTally, Hearing, HearingReadinessItem]),
    AuditModule,
    CaseSummariesModule,
  ],
  providers: [
    ReferralsService,
    HearingsService,
    SharedSectionsRepository,
    { provide: SECTION_SHARING, useExisting: SharedSectionsRepository },
  ],
  exports: [ReferralsService, HearingsService, SharedSectionsRepository, SECTION_SHARING],
})
export class ReferralsModule implements OnModuleInit {
  constructor(
    private readonly streams: EventStreams,
    private readonly shares: SharedSectionsRepository,
  ) {}

  /** The live streams start each task force from its standing referrals. */
  onModuleInit(): void {
    this.streams.useStandingShares((taskForceId) => this.shares.standing(taskForceId));
  }
}
