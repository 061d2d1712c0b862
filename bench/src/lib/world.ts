import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gql } from './http';
import {
  type App,
  builtEntry,
  DEMO_PASSWORD,
  JWT_SECRET,
  type Proc,
  runToEnd,
  scratchDatabase,
  startProcess,
} from './procs';
import { log, onCleanup, pool } from './util';

/** The demo seats of each task force (see libs/database/src/seeders): one member per agency kind. */
export const SEATS = [
  'anitp',
  'diicot',
  'police',
  'prosecutor',
  'border',
  'labour',
  'social',
  'ngo',
  'court',
  'iom',
  'other',
];

export interface Seat {
  email: string;
  seat: string;
  token: string;
}

export interface TaskForce {
  id: string;
  code: string;
  /** The coordinator (anitp.<code>): the bench's mutations are theirs. */
  coordinator: string;
  seats: Seat[];
  /** The demo meeting held last week (ENDED): minute notes can be added to it. */
  heldMeetingId: string;
  agendaItemId: string;
  /** A demo case summary with all four sections written: read with the section policy and audited. */
  caseSummaryId: string;
}

export interface World {
  dbName: string;
  dbUrl: string;
  dataDir: string;
  taskForces: TaskForce[];
  /** Environment for every hub process of this world. */
  env(extra?: Record<string, string>): Record<string, string>;
}

let world: Promise<World> | undefined;

/**
 * One scratch PostgreSQL database per bench run, migrated and seeded with the demo data; every
 * demo member (4 task forces × 11 agency kinds) signs in once. Tokens are then shared by many
 * sockets each: sign-in is argon2 (deliberately slow) and rate limited, and what a fan-out costs
 * the hub does not depend on how many distinct members hold the sockets, only on how many audience
 * rooms (agency kinds) the task force has — all 11 are used.
 */
export function getWorld(): Promise<World> {
  return (world ??= makeWorld());
}

/** What every hub process of the bench runs with: production settings, limits lifted for load that is not abuse. */
export function benchEnv(databaseUrl: string, dataDir: string, extra: Record<string, string> = {}) {
  return {
    NODE_ENV: 'production',
    JWT_SECRET,
    DATABASE_URL: databaseUrl,
    DATA_DIR: dataDir,
    DEMO_PASSWORD,
    LOGIN_RATE_LIMIT: '10000',
    // The bench's own mutations are load, not abuse (builds without this setting ignore it).
    MUTATION_RATE_LIMIT: '1000000',
    // Thousands of sockets from one address, sharing 44 members' tokens: load, not abuse.
    CONNECTIONS_PER_MEMBER: '10000',
    CONNECTIONS_PER_ADDRESS: '1000000',
    ACCESS_TOKEN_TTL_SECONDS: '3600',
    ...extra,
  };
}

async function makeWorld(): Promise<World> {
  const started = Date.now();
  const db = await scratchDatabase();
  const dataDir = mkdtempSync(join(tmpdir(), 'hub-bench-data-'));
  onCleanup(() => rmSync(dataDir, { recursive: true, force: true }));
  const env = (extra: Record<string, string> = {}) => benchEnv(db.url, dataDir, extra);
  await runToEnd(builtEntry('cli'), ['migrate'], env());
  await runToEnd(builtEntry('cli'), ['seed'], env());
  const hub = await startHub('api', env());
  try {
    const login = (email: string) =>
      gql<{ login: { accessToken: string } }>(
        hub.url,
        'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }',
        { e: email, p: DEMO_PASSWORD },
      ).then((d) => d.login.accessToken);
    const result: TaskForce[] = ['BUC', 'IAS', 'CRA', 'TIM'].map((code) => ({
      id: '',
      code,
      coordinator: '',
      seats: [],
      heldMeetingId: '',
      agendaItemId: '',
      caseSummaryId: '',
    }));
    await pool(result, 2, async (tf) => {
      tf.seats = await pool(SEATS, 2, async (seat) => {
        const email = `${seat}.${tf.code.toLowerCase()}@demo.local`;
        return { email, seat, token: await login(email) };
      });
      tf.coordinator = tf.seats[0].token;
      const { taskForces } = await gql<{ taskForces: { id: string; code: string }[] }>(
        hub.url,
        '{ taskForces { id code } }',
        {},
        tf.coordinator,
      );
      const found = taskForces.find((t) => t.code === tf.code);
      if (!found) throw new Error(`demo task force ${tf.code} missing for its coordinator`);
      tf.id = found.id;
      const { meetings } = await gql<{
        meetings: { nodes: { id: string; status: string; agenda: { id: string }[] }[] };
      }>(
        hub.url,
        'query($tf: ID!) { meetings(taskForceId: $tf, first: 50) { nodes { id status agenda { id } } } }',
        { tf: tf.id },
        tf.coordinator,
      );
      const held = meetings.nodes.find((m) => m.status === 'ENDED' && m.agenda.length);
      if (!held) throw new Error(`no ended demo meeting with an agenda in ${tf.code}`);
      tf.heldMeetingId = held.id;
      tf.agendaItemId = held.agenda[0].id;
      const { caseSummaries } = await gql<{
        caseSummaries: { id: string; investigation: string | null; victimSupport: string | null }[];
      }>(
        hub.url,
        'query($tf: ID!) { caseSummaries(taskForceId: $tf) { id investigation victimSupport } }',
        { tf: tf.id },
        tf.coordinator,
      );
      const summary = caseSummaries.find((c) => c.investigation || c.victimSupport) ?? caseSummaries[0];
      if (!summary) throw new Error(`no demo case summary in ${tf.code}`);
      tf.caseSummaryId = summary.id;
    });
    log(
      `world: database ${db.name} migrated and seeded, ${result.length * SEATS.length} members signed in (${Date.now() - started} ms)`,
    );
    return { dbName: db.name, dbUrl: db.url, dataDir, taskForces: result, env };
  } finally {
    await hub.stop();
  }
}

export function startHub(app: App, env: Record<string, string>, inspect = false): Promise<Proc> {
  return startProcess({ name: app, script: builtEntry(app), env, inspect, timeoutMs: 60_000 });
}

const NOTE = 'mutation($input: MinuteNoteInput!) { addMinuteNote(input: $input) { id } }';

/** The hub's fan-out trigger: one minute note on the held meeting, i.e. one `meeting.noteAdded` event. */
export function addNote(apiUrl: string, tf: TaskForce, seq: number): Promise<unknown> {
  return gql(
    apiUrl,
    NOTE,
    { input: { meetingId: tf.heldMeetingId, agendaItemId: tf.agendaItemId, text: `Bench note bench-${seq}` } },
    tf.coordinator,
  );
}
