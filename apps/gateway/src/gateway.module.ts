import { Module } from '@nestjs/common';
import { IdentityModule } from '@hub/identity';
import { RoomsGateway } from './rooms.gateway';

/** The Socket.IO gateway: live rooms per member (task force and meeting rooms to come). Needs PlatformModule. */
@Module({
  imports: [IdentityModule],
  providers: [RoomsGateway],
})
export class GatewayModule {}
