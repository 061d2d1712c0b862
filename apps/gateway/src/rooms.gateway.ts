import { Logger } from '@nestjs/common';
import { OnGatewayConnection, OnGatewayInit, WebSocketGateway, WebSocketServer } from '@nestjs/websockets';
import { rooms } from '@hub/events';
import { AuthService } from '@hub/identity';
import type { Server } from 'socket.io';
import { HubSocket, socketAuthMiddleware } from './socket-auth';

/**
 * Live rooms. For now: only authenticated connections, each in its member's personal room.
 * Task-force and meeting rooms arrive with the live-events work.
 */
@WebSocketGateway()
export class RoomsGateway implements OnGatewayInit, OnGatewayConnection {
  private readonly logger = new Logger(RoomsGateway.name);

  @WebSocketServer()
  server: Server;

  constructor(private readonly auth: AuthService) {}

  afterInit(server: Server): void {
    server.use(socketAuthMiddleware(this.auth));
  }

  async handleConnection(socket: HubSocket): Promise<void> {
    await socket.join(rooms.member(socket.data.actor.memberId));
    this.logger.debug?.(`member ${socket.data.actor.memberId} connected`);
  }
}
