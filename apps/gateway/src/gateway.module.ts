import { Module } from '@nestjs/common';
import { AuditModule } from '@hub/audit';
import { IdentityModule } from '@hub/identity';
import { MeetingsModule } from '@hub/meetings';
import { NotificationsModule } from '@hub/notifications';
import { ServiceAccountsModule } from '@hub/service-accounts';
import { RoomsGateway } from './rooms.gateway';

/** The Socket.IO gateway: live rooms per task force, per meeting and per member. Needs PlatformModule. */
@Module({
  imports: [IdentityModule, MeetingsModule, AuditModule, NotificationsModule, ServiceAccountsModule],
  providers: [RoomsGateway],
})
export class GatewayModule {}
