import { createHmac, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { JWT_SECRET } from './procs';
import { log } from './util';
import { type Seat, type TaskForce, type World } from './world';

/** Token lifetime of the seeded members: longer than any bench run. */
const TOKEN_TTL_SECONDS = 6 * 3600;

const b64url = (value: string | Buffer) => Buffer.from(value).toString('base64url');

/**
 * An access token as the hub issues it (HS256 over { sub, sid, iat, exp } with the hub's secret).
 * Signing here avoids a login per member: a login is an argon2 hash, deliberately slow and rate limited.
 */
export function accessToken(memberId: string, sessionId: string): string {
  const iat = Math.floor(Date.now() / 1000);
  const header = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const payload = b64url(JSON.stringify({ sub: memberId, sid: sessionId, iat, exp: iat + TOKEN_TTL_SECONDS }));
  const signature = createHmac('sha256', JWT_SECRET).update(`${header}.${payload}`).digest('base64url');
  return `${header}.${payload}.${signature}`;
}

const seeded = new Map<string, Seat[]>();

/**
 * At least `n` distinct members of task force `tf`, each with a live session and a token, so that no two
 * sockets share a member (per-member costs show: the member room, session re-checks, the actor lookup).
 * Written straight into the scratch database, three statements per call whatever `n`: member `i` copies
 * the agency and role of demo seat `i mod 11`, so all 11 audience rooms stay in use in the same
 * proportions as the demo members. Seeded members have no password (they never log in). Cached per
 * task force: a later, larger call adds only the difference.
 */
export async function distinctMembers(world: World, tf: TaskForce, n: number): Promise<Seat[]> {
  const have = seeded.get(tf.id) ?? [];
  if (have.length >= n) return have.slice(0, n);
  const started = Date.now();
  const pg = new Client({ connectionString: world.dbUrl });
  await pg.connect();
  try {
    const { rows: seats } = await pg.query<{ agency_id: string; role: string; email: string }>(
      `select m.agency_id, ms.role, m.email from member m
         join membership ms on ms.member_id = m.id and ms.task_force_id = $1
       where m.email = any($2) order by m.email`,
      [tf.id, tf.seats.map((s) => s.email)],
    );
    if (seats.length !== tf.seats.length) throw new Error(`demo seats of ${tf.code} not found`);
    const fresh = Array.from({ length: n - have.length }, (_, k) => {
      const i = have.length + k;
      const seat = seats[i % seats.length];
      return {
        memberId: randomUUID(),
        sessionId: randomUUID(),
        email: `bench-${i}.${tf.code.toLowerCase()}@bench.local`,
        seat: seat.email.split('.')[0],
        agencyId: seat.agency_id,
        role: seat.role,
      };
    });
    const col = <K extends keyof (typeof fresh)[number]>(key: K) => fresh.map((m) => m[key]);
    await pg.query('begin');
    await pg.query(
      `insert into member (id, email, display_name, agency_id, password_hash, created_at)
       select id, email, 'Bench member ' || split_part(email, '@', 1), agency_id, '!no-password', now()
       from unnest($1::uuid[], $2::text[], $3::uuid[]) as t(id, email, agency_id)`,
      [col('memberId'), col('email'), col('agencyId')],
    );
    await pg.query(
      `insert into membership (id, task_force_id, member_id, role, created_at)
       select gen_random_uuid(), $1, member_id, role, now() from unnest($2::uuid[], $3::text[]) as t(member_id, role)`,
      [tf.id, col('memberId'), col('role')],
    );
    await pg.query(
      `insert into auth_session (id, member_id, created_at)
       select id, member_id, now() from unnest($1::uuid[], $2::uuid[]) as t(id, member_id)`,
      [col('sessionId'), col('memberId')],
    );
    await pg.query('commit');
    const all = [
      ...have,
      ...fresh.map((m) => ({ email: m.email, seat: m.seat, token: accessToken(m.memberId, m.sessionId) })),
    ];
    seeded.set(tf.id, all);
    log(
      `members: ${fresh.length} distinct members seeded into ${tf.code} (${all.length} in all, ${Date.now() - started} ms)`,
    );
    return all.slice(0, n);
  } finally {
    await pg.end();
  }
}
