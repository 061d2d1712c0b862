import { ArgumentsHost, Catch, ExceptionFilter, Injectable, Logger } from '@nestjs/common';
import { isDomainError, loggableError, Metrics } from '@hub/core';
import type { Socket } from 'socket.io';

const logger = new Logger('Gateway');

/**
 * The one place socket errors become acknowledgements: `{ ok: false, error: { code, message } }`.
 * Anything unexpected is logged and masked; the connection and the process carry on.
 */
@Catch()
@Injectable()
export class WsAckFilter implements ExceptionFilter {
  constructor(private readonly metrics: Metrics) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const args = host.getArgs();
    if (isDomainError(error)) {
      // Refusals are logged with who and what (never the payload), and counted.
      const socket = args[0] as Socket;
      const event = host.switchToWs().getPattern();
      logger.warn(
        `refused ${event} from member ${socket.data?.memberId ?? 'unknown'} (socket ${socket.id}): ${error.code}`,
      );
      this.metrics.reject(`socket_${error.code.toLowerCase()}`);
    }
    const ack = args.find((arg, index) => index > 0 && typeof arg === 'function') as
      ((response: unknown) => void) | undefined;
    const body = isDomainError(error)
      ? { code: error.code, message: error.message, ...error.extensions }
      : { code: 'INTERNAL_SERVER_ERROR', message: 'Something went wrong on our side; try again.' };
    if (!isDomainError(error)) logger.error(loggableError(error));
    ack?.({ ok: false, error: body });
  }
}
