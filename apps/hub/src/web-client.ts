import { type NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * The hub's own web client (apps/web, built by `npm run build` into dist/web), served at `/`.
 *
 * Only two kinds of path are the client's: its hashed files under /assets, and its own page routes
 * (`/`, `/t/…`, and the member's own `/inbox` and `/notification-preferences`, which e-mails link to),
 * which all answer index.html so that a reload or a shared link works. Everything
 * else (/graphql, /socket.io, /health/*, /metrics, /meetings/:id/minutes.md, /calendar/:token.ics)
 * never reaches this code's answers and stays the server's.
 */
export const CLIENT_ROUTE = /^\/(?:t(?:\/.*)?|inbox|notification-preferences)?$/;

/** dist/web next to the compiled hub (dist/apps/hub/src), or under the working directory. */
export function webClientDir(): string | null {
  const candidates = [resolve(__dirname, '..', '..', '..', 'web'), resolve(process.cwd(), 'dist', 'web')];
  return candidates.find((dir) => existsSync(join(dir, 'index.html'))) ?? null;
}

const NOT_BUILT = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Task Force Hub</title></head>
<body><h1>Task Force Hub</h1><p>The web client is not built. Run <code>npm run build</code> (it also runs
<code>vite build apps/web</code>) and start the hub again. The API is up: GraphQL at <a href="/graphql">/graphql</a>.</p></body></html>`;

export function serveWebClient(app: NestExpressApplication, dir: string | null = webClientDir()): void {
  if (dir) {
    app.useStaticAssets(join(dir, 'assets'), {
      prefix: '/assets/',
      index: false,
      immutable: true,
      maxAge: '365d',
      fallthrough: false,
    });
  }
  // Read on each request (it is small): a rebuild while the hub runs then serves the new files' names.
  const page = () => (dir ? readFileSync(join(dir, 'index.html'), 'utf8') : NOT_BUILT);
  app.use((request: Request, response: Response, next: NextFunction) => {
    if ((request.method !== 'GET' && request.method !== 'HEAD') || !CLIENT_ROUTE.test(request.path)) return next();
    response
      .status(dir ? 200 : 503)
      .type('html')
      // The page names the current hashed files: never keep an old copy.
      .setHeader('cache-control', 'no-cache')
      .send(page());
  });
}
