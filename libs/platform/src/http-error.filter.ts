import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { classifyError, type ErrorCode, INTERNAL_ERROR_MESSAGE, isDomainError } from '@hub/core';
import type { Request, Response } from 'express';

const STATUS: Record<ErrorCode | 'INTERNAL_SERVER_ERROR', number> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  BAD_USER_INPUT: 400,
  NOT_FOUND: 404,
  CONFLICT: 409,
  RATE_LIMITED: 429,
  SERVICE_UNAVAILABLE: 503,
  CURSOR_EXPIRED: 410,
  CONSENT_REQUIRED: 403,
  INTERNAL_SERVER_ERROR: 500,
};

/** What a person reads when a plain HTTP request is refused before any of our code runs. */
function refusal(status: number, req: Request, limitKb: () => string): { code: string; message: string } {
  switch (status) {
    case 400:
      return {
        code: 'BAD_REQUEST',
        message: 'The request body could not be read: send valid JSON with "Content-Type: application/json".',
      };
    case 404:
      return { code: 'NOT_FOUND', message: `Nothing here: ${req.method} ${req.path}. GraphQL is at /graphql.` };
    case 413:
      return {
        code: 'PAYLOAD_TOO_LARGE',
        message: `The request body is larger than ${limitKb()}. Send less at once (a case-summary section holds at most 20,000 characters).`,
      };
    case 415:
      return { code: 'UNSUPPORTED_MEDIA_TYPE', message: 'Send the request as "Content-Type: application/json".' };
    default:
      return {
        code: status >= 500 ? 'INTERNAL_SERVER_ERROR' : 'BAD_REQUEST',
        message: status >= 500 ? INTERNAL_ERROR_MESSAGE : 'The request was refused.',
      };
  }
}

/**
 * Plain HTTP routes answer every error as `{ code, message }` with a fitting status: refusals by the body
 * parser or the router with one of ours, everything else as `classifyError` decides (domain errors with
 * their own sentence, an unavailable database as retryable 503, anything else masked and logged).
 * GraphQL and socket contexts have their own formatters, so the error is handed back to them.
 */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  constructor(private readonly bodyLimitKb: number) {}

  catch(error: unknown, host: ArgumentsHost) {
    if (host.getType() !== 'http') return error;
    const http = host.switchToHttp();
    const res = http.getResponse<Response>();
    const req = http.getRequest<Request>();
    if (error instanceof HttpException) {
      const body = error.getResponse();
      // Bodies we built ourselves (readiness) go out as they are.
      if (typeof body === 'object' && body !== null && !('statusCode' in body))
        return void res.status(error.getStatus()).json(body);
      return void res.status(error.getStatus()).json(refusal(error.getStatus(), req, () => `${this.bodyLimitKb} KB`));
    }
    // Middleware before our code (the body parser) says what it refused with a 4xx status.
    const status = (error as { status?: unknown } | null)?.status;
    if (!isDomainError(error) && typeof status === 'number' && status >= 400 && status < 500)
      return void res.status(status).json(refusal(status, req, () => `${this.bodyLimitKb} KB`));
    const { code, message, extensions, log } = classifyError(error);
    if (log) this.logger[log.level](log.line);
    res.status(STATUS[code]).json({ code, message, ...extensions });
  }
}
