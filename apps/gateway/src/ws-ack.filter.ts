import { ArgumentsHost, Catch, ExceptionFilter, Injectable, Logger } from '@nestjs/common';
import { classifyError, isDomainError, Metrics } from '@hub/core';
import type { Socket } from 'socket.io';

const logger = new Logger('Gateway');

/**
 * Socket errors become acknowledgements here, `{ ok: false, error: { code, message, …extensions } }`,
 * as `classifyError` decides (an unavailable database is retryable SERVICE_UNAVAILABLE, as over GraphQL).
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
    const { code, message, extensions, log } = classifyError(error);
    if (log) logger[log.level](log.line);
    ack?.({ ok: false, error: { code, message, ...extensions } });
  }
}
