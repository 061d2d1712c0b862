import { Module } from '@nestjs/common';
import { AuditModule } from '@hub/audit';
import { IdentityModule } from '@hub/identity';
import { MeetingsModule } from '@hub/meetings';
import { NotificationsModule } from '@hub/notifications';
import { ServiceAccountsModule } from '@hub/service-accounts';
import { ReferralsModule } from '@hub/referrals';
import { RoomsGateway } from './rooms.gateway';

/** The Socket.IO gateway: live rooms per task force, per meeting and per member. Needs PlatformModule. */
@Module({
  // ReferralsModule: the live streams redact for what standing referrals share.
  imports: [IdentityModule, MeetingsModule, AuditModule, NotificationsModule, ServiceAccountsModule, ReferralsModule],
  providers: [RoomsGateway],
})
export class GatewayModule {}
