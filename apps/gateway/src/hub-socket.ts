import type {
  ClientToServerEvents,
  EventEnvelope,
  HubEventType,
  ServerToClientEvents,
  SocketData,
} from '@hub/contracts';
import type { DefaultEventsMap, Server, Socket } from 'socket.io';

/** The gateway's Socket.IO server and sockets, typed by the public contract. */
export type HubServer = Server<ClientToServerEvents, ServerToClientEvents, DefaultEventsMap, SocketData>;
export type HubSocket = Socket<ClientToServerEvents, ServerToClientEvents, DefaultEventsMap, SocketData>;

type EnvelopeTarget = Pick<HubSocket, 'emit'> | Pick<ReturnType<HubServer['to']>, 'emit'>;
type EmitAny = (this: EnvelopeTarget, type: HubEventType, envelope: EventEnvelope) => boolean;

/**
 * Emits a domain event under its own type. The contract pairs every type with its own envelope; with
 * `envelope` of the whole union TypeScript cannot see that `type` and `envelope` belong together,
 * so the pairing is stated here, once.
 */
export function emitEnvelope(target: EnvelopeTarget, envelope: EventEnvelope): void {
  (target.emit as EmitAny).call(target, envelope.type, envelope);
}
