import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import { DomainError, ErrorCode } from '@hub/core';
import type { Response } from 'express';

const STATUS: Record<ErrorCode, number> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  BAD_USER_INPUT: 400,
  NOT_FOUND: 404,
  CONFLICT: 409,
  RATE_LIMITED: 429,
  SERVICE_UNAVAILABLE: 503,
  CURSOR_EXPIRED: 410,
};

/**
 * Plain HTTP routes answer a DomainError with its status and `{ code, message }`.
 * GraphQL and socket contexts have their own formatters, so the error is handed back to them.
 */
@Catch(DomainError)
export class DomainErrorFilter implements ExceptionFilter {
  catch(error: DomainError, host: ArgumentsHost) {
    if (host.getType() !== 'http') return error;
    host
      .switchToHttp()
      .getResponse<Response>()
      .status(STATUS[error.code])
      .json({ code: error.code, message: error.message, ...error.extensions });
  }
}
