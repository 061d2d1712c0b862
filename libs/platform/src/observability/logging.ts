import { Inject, Injectable, type LoggerService } from '@nestjs/common';
import { currentRequestId, type HubConfig, withRequestId } from '@hub/core';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import pino, { type DestinationStream, type Level, type Logger as Pino, type LoggerOptions } from 'pino';

/** A client may send its own request id (to follow one action across systems); anything else gets a fresh one. */
const CLIENT_REQUEST_ID = /^[A-Za-z0-9._:-]{8,64}$/;

/** Health probes, scrapes and the client's static files: frequent and uninteresting, so no line of their own. */
const QUIET_PATHS = /^\/(health|metrics|assets)\b/;

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
 * Paths are logged without their query string (GET /graphql carries variables there), and with a
 * calendar feed's token masked wherever `calendar/` appears in any case (the router matches routes
 * case-insensitively): a log is read by more people than the data it describes. An absolute-form
 * target (`GET http://host/path`) is routed, and logged, by its path.
 */
export function loggablePath(url = ''): string {
  const path = url.replace(/^[a-z][a-z\d+.-]*:\/\/[^/?#]*/i, '');
  return path.split('?')[0].replace(/\/calendar\/[^/]+/gi, '/calendar/[token]');
}

/** Set on the request by the api's GraphQL plugins and guard; read when the request's line is written. */
type TracedRequest = IncomingMessage & {
  ip?: string;
  actor?: { memberId: string };
  graphql?: { operation: string; name?: string; fields: string[]; errors?: string[] };
};

/** Only what may be logged of an error: its type and message, never a stack or the object's other fields. */
const loggableError = (err: { name?: string; type?: string; message?: string }) => ({
  type: err.type ?? err.name,
  message: err.message,
});

/**
 * JSON lines on stdout (pino), the process's one logger. Every line logged while a request is served
 * carries its `requestId` at the top level.
 */
export function rootLogger(level: HubConfig['logLevel']): Pino {
  // One per process and level: each pino opens its own stream on stdout (tests start many apps in one process).
  let logger = roots.get(level);
  if (!logger) roots.set(level, (logger = hubPino(level)));
  return logger;
}

const roots = new Map<string, Pino>();

/** The hub's pino settings, on stdout or (tests) on `destination`. */
export function hubPino(level: HubConfig['logLevel'], destination?: DestinationStream): Pino {
  const options: LoggerOptions = {
    level,
    base: { service: 'task-force-hub', pid: process.pid },
    mixin: () => {
      const requestId = currentRequestId();
      return requestId === undefined ? {} : { requestId };
    },
    serializers: { err: loggableError },
  };
  return pino(options, destination ?? stdoutLines());
}

/**
 * stdout, written in blocks of up to 4 KB or every 250 ms, whichever comes first: one write per line was
 * about 2 % of a request's CPU on the main thread and as much again in the thread pool's writes. pino
 * writes what is buffered when the process exits; a process that dies without exiting (SIGKILL, out of
 * memory) loses what was buffered. Tests that look for a line's absence wait first (test/utils/process.ts).
 */
function stdoutLines(): DestinationStream {
  return pino.destination({ dest: 1, sync: false, minLength: 4096, periodicFlush: 250 });
}

/**
 * One line per request, written by the root logger when the response is done: its id, method, path,
 * status and time, the client's address (through trusted proxies), the acting member's id and, for
 * GraphQL, the operation's type, name, root fields and error codes. Never a header, a body, a variable or
 * an e-mail: tokens, passwords and case text therefore cannot reach a log. The request id is answered in
 * X-Request-Id. Written here rather than with pino-http, whose three child loggers per request (and the
 * request serialised into one of them) cost about 10 % of the hub's CPU on `{ __typename }`
 * (`npm run bench -- graphql`, its floor).
 */
export function requestLogging(log: Pino) {
  return (req: IncomingMessage, res: ServerResponse, next: () => void): void => {
    const given = req.headers['x-request-id'];
    const requestId = typeof given === 'string' && CLIENT_REQUEST_ID.test(given) ? given : randomUUID();
    res.setHeader('X-Request-Id', requestId);
    const url = req.url ?? '';
    if (!QUIET_PATHS.test(url)) {
      const started = performance.now();
      // The URL as it came (routers rewrite req.url for their mounts); 'close' comes once, whether the
      // answer was sent or the client went away first.
      res.once('close', () => requestDone(log, req as TracedRequest, res, requestId, url, started));
    }
    withRequestId(requestId, next);
  };
}

function requestDone(
  log: Pino,
  req: TracedRequest,
  res: ServerResponse,
  requestId: string,
  url: string,
  started: number,
): void {
  const status = res.statusCode;
  const level: Level = status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info';
  if (!log.isLevelEnabled(level)) return;
  log[level](
    {
      requestId,
      req: { method: req.method, path: loggablePath(url) },
      res: { statusCode: status },
      responseTime: Math.round(performance.now() - started),
      client: req.ip,
      memberId: req.actor?.memberId,
      graphql: req.graphql,
      aborted: res.writableFinished ? undefined : true,
    },
    res.writableFinished ? 'request completed' : 'request aborted',
  );
}

export const ROOT_LOGGER = Symbol('ROOT_LOGGER');

/**
 * Nest's logger on the root pino logger, minus the start-up chatter. Nest passes the caller's context
 * (its Logger's name) as the last argument; an object as the message is merged into the line, with the
 * next argument as its text (`logger.warn({ reason }, 'sign-in refused')`).
 */
@Injectable()
export class HubLogger implements LoggerService {
  constructor(@Inject(ROOT_LOGGER) private readonly pino: Pino) {}

  log(message: unknown, ...rest: unknown[]): void {
    if (CHATTER.has(String(rest.at(-1)))) return;
    this.write('info', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.write('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.write('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.write('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.write('trace', message, rest);
  }
  fatal(message: unknown, ...rest: unknown[]): void {
    this.write('fatal', message, rest);
  }

  private write(level: Level, message: unknown, rest: unknown[]): void {
    if (!this.pino.isLevelEnabled(level)) return;
    const line: Record<string, unknown> = {};
    if (rest.length) line.context = rest.at(-1);
    const text = rest.length > 1 && typeof rest[0] === 'string' ? rest[0] : undefined;
    if (message instanceof Error) {
      line.err = loggableError(message);
      this.pino[level](line, text ?? message.message);
    } else if (message !== null && typeof message === 'object') {
      this.pino[level](Object.assign(line, message), text);
    } else {
      // Nest's exception handlers call error(message, stack, context): the stack is not logged (see loggableError).
      this.pino[level](line, String(message));
    }
  }
}
