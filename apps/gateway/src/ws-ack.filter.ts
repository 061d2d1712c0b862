import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import { isDomainError } from '@hub/core';

const logger = new Logger('Gateway');

/**
 * The one place socket errors become acknowledgements: `{ ok: false, error: { code, message } }`.
 * Anything unexpected is logged and masked; the connection and the process carry on.
 */
@Catch()
export class WsAckFilter implements ExceptionFilter {
  catch(error: unknown, host: ArgumentsHost): void {
    const args = host.getArgs();
    const ack = args.find((arg, index) => index > 0 && typeof arg === 'function') as ((response: unknown) => void) | undefined;
    const body = isDomainError(error)
      ? { code: error.code, message: error.message, ...error.extensions }
      : { code: 'INTERNAL_SERVER_ERROR', message: 'Something went wrong on our side; try again.' };
    if (!isDomainError(error)) logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    ack?.({ ok: false, error: body });
  }
}
