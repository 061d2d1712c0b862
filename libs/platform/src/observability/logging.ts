import { RequestMethod } from '@nestjs/common';
import { type HubConfig } from '@hub/core';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { Logger, LoggerModule } from 'nestjs-pino';

/** A client may send its own request id (to follow one action across systems); anything else gets a fresh one. */
const CLIENT_REQUEST_ID = /^[A-Za-z0-9._:-]{8,64}$/;

/** Nest's start-up chatter: routes mapped, modules loaded. It hides the lines a person needs. */
const CHATTER = new Set([
  'NestFactory',
  'InstanceLoader',
  'RoutesResolver',
  'RouterExplorer',
  'NestApplication',
  'WebSocketsController',
  'GraphQLModule',
]);

/**
 * Paths are logged without their query string (GET /graphql carries variables there), and the calendar
 * feed's path without its token: a log is read by more people than the data it describes.
 */
export function loggablePath(url = ''): string {
  return url.split('?')[0].replace(/^\/calendar\/[^/]+/, '/calendar/[token]');
}

/** Set on the request by the api's GraphQL plugins and guard; read when the request's line is written. */
type TracedRequest = IncomingMessage & {
  ip?: string;
  actor?: { memberId: string };
  graphql?: { operation: string; name?: string; fields: string[]; errors?: string[] };
};

/**
 * JSON lines on stdout (pino), one per request with its id, method, path, status and time, the client's
 * address (through trusted proxies), the acting member's id and, for GraphQL, the operation's type, name,
 * root fields and error codes. Never a header, a body, a variable or an e-mail: tokens, passwords and
 * case text therefore cannot reach a log.
 */
export function loggingModule(config: HubConfig) {
  return LoggerModule.forRoot({
    forRoutes: [{ path: '{*path}', method: RequestMethod.ALL }],
    pinoHttp: {
      level: config.logLevel,
      base: { service: 'task-force-hub', pid: process.pid },
      // Every line logged while serving a request carries its id at the top level.
      quietReqLogger: true,
      customAttributeKeys: { reqId: 'requestId' },
      // Only for the line written when the response is done (before that, nobody is authenticated yet).
      customProps: (req: IncomingMessage, res: ServerResponse) => {
        if (!res.headersSent) return {};
        const traced = req as TracedRequest;
        return { client: traced.ip, memberId: traced.actor?.memberId, graphql: traced.graphql };
      },
      genReqId: (req: IncomingMessage, res: ServerResponse) => {
        const given = req.headers['x-request-id'];
        const id = typeof given === 'string' && CLIENT_REQUEST_ID.test(given) ? given : randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      serializers: {
        req: (req: { method?: string; url?: string }) => ({ method: req.method, path: loggablePath(req.url) }),
        res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
        err: (err: { type?: string; message?: string }) => ({ type: err.type, message: err.message }),
      },
      autoLogging: { ignore: (req: IncomingMessage) => /^\/(health|metrics|assets)\b/.test(req.url ?? '') },
      customLogLevel: (_req: IncomingMessage, res: ServerResponse, error?: Error) =>
        error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
    },
  });
}

/** Nest's logger on pino, minus the start-up chatter. */
export class HubLogger extends Logger {
  override log(message: unknown, ...rest: unknown[]): void {
    if (CHATTER.has(String(rest.at(-1)))) return;
    super.log(message, ...rest);
  }
}
