import { Injectable, Logger } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';

/** What a transport does when the process stops: tell its clients to reconnect elsewhere, then close them. */
export type DrainHandler = () => number | Promise<number>;

/** Socket.IO event a client gets before the server closes its socket on shutdown. */
export const SHUTDOWN_EVENT = 'server.shutdown';
/** WebSocket close code for "Service Restart": graphql-ws clients reconnect after it. */
export const CLOSE_SERVICE_RESTART = 1012;
export const SHUTDOWN_MESSAGE =
  'This server is restarting. Reconnect, with your last cursor, to continue where you left off.';

/**
 * Graceful stop, in the order a load balancer and the clients need it: readiness fails, no new
 * connection is accepted, live connections are told to reconnect elsewhere, in-flight requests
 * finish (up to a grace period), and only then does the app close (which flushes the outbox).
 */
@Injectable()
export class Drain {
  private readonly logger = new Logger('Shutdown');
  private readonly handlers = new Map<string, DrainHandler>();
  private inFlight = 0;
  private idle?: () => void;
  draining = false;

  /**
   * Express middleware counting requests until their response is finished or the client went away.
   * While draining, a new request on a kept-alive connection is turned away (so that nothing commits
   * after the outbox's last flush); readiness still answers, with 503.
   */
  readonly track = (req: Request, res: Response, next: NextFunction): void => {
    if (this.draining && !req.path.startsWith('/health/')) {
      res.setHeader('Connection', 'close');
      res.status(503).json({
        code: 'SERVICE_UNAVAILABLE',
        message:
          'This server is restarting and takes no new requests. Send the request again: it will reach another instance.',
        retryable: true,
      });
      return;
    }
    this.inFlight++;
    res.once('close', () => {
      this.inFlight--;
      if (this.inFlight === 0) this.idle?.();
    });
    next();
  };

  register(transport: string, handler: DrainHandler): void {
    this.handlers.set(transport, handler);
  }

  /** Everything before `app.close()`: returns what it did, for the log line. */
  async start(graceMs: number, stopAccepting: () => void): Promise<string> {
    this.draining = true;
    stopAccepting();
    const closed: string[] = [];
    for (const [transport, handler] of this.handlers) {
      try {
        closed.push(`${await handler()} ${transport}`);
      } catch (error) {
        this.logger.warn(`closing ${transport} connections: ${(error as Error).message}`);
      }
    }
    const waiting = this.inFlight;
    const finished = await this.requestsFinished(graceMs);
    return `${closed.join(', ') || 'no live connections'} closed; ${waiting} in-flight request(s) ${finished ? 'finished' : `cut after ${graceMs} ms`}`;
  }

  private requestsFinished(graceMs: number): Promise<boolean> {
    if (this.inFlight === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), graceMs);
      this.idle = () => {
        clearTimeout(timer);
        resolve(true);
      };
    });
  }
}
