/**
 * One built hub for the whole browser project, started by Jest's global setup and shared by every
 * browser suite (each suite keeps to its own task force, so their data do not meet). Starting a hub
 * and seeding its demo data is the slowest part of a suite; doing it once keeps the project cheap.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type GraphQLClient } from '../utils/graphql-client';
import { type Running, start } from '../utils/process';

/** Every demo account's password on the shared hub. */
export const PASSWORD = 'browser-suite-password-1';
/**
 * Short-lived access tokens, so that the client's silent refresh (a minute before expiry) happens
 * while the suites run; a suite calling the API itself signs in again before its token runs out.
 */
export const ACCESS_TOKEN_TTL_SECONDS = 75;

const URL_VARIABLE = 'BROWSER_SUITE_HUB_URL';

interface Started {
  hub: Running;
  dataDir: string;
}
const slot = globalThis as { browserSuiteHub?: Started };

export async function startSharedHub(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'hub-browser-'));
  const hub = await start('hub', {
    DATA_DIR: dataDir,
    DEMO_PASSWORD: PASSWORD,
    LOGIN_RATE_LIMIT: '1000',
    ACCESS_TOKEN_TTL_SECONDS: String(ACCESS_TOKEN_TTL_SECONDS),
  });
  slot.browserSuiteHub = { hub, dataDir };
  // Jest's workers are started after the global setup and inherit its environment.
  process.env[URL_VARIABLE] = hub.url;
}

export async function stopSharedHub(): Promise<void> {
  const started = slot.browserSuiteHub;
  if (!started) return;
  const { hub, dataDir } = started;
  // A hub that died under the browser explains every failure of the suites: show why.
  if (hub.child.exitCode !== null || hub.child.signalCode !== null)
    console.error(`The hub exited during the browser suites:\n${hub.output().slice(-4000)}`);
  await hub.stop();
  rmSync(dataDir, { recursive: true, force: true });
}

/** The shared hub's address, for a suite. */
export function sharedHubUrl(): string {
  const url = process.env[URL_VARIABLE];
  if (!url) throw new Error(`${URL_VARIABLE} is not set: the browser project's global setup starts the hub.`);
  return url;
}

/**
 * A demo account's access token for a suite's own API calls, signed in again 20 s before the shared
 * hub's short-lived token would expire.
 */
export function renewingToken(gql: GraphQLClient, email: string): () => Promise<string> {
  let current = { token: '', at: 0 };
  return async () => {
    if (Date.now() - current.at > (ACCESS_TOKEN_TTL_SECONDS - 20) * 1000) {
      const { login } = await gql.data(
        `mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }`,
        { e: email, p: PASSWORD },
      );
      current = { token: login.accessToken, at: Date.now() };
    }
    return current.token;
  };
}
