import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { post } from '../lib/http';
import { builtEntry, DEMO_PASSWORD, runToEnd, scratchDatabase } from '../lib/procs';
import { type Cell, ratio, type ScenarioResult } from '../lib/report';
import { log, median, now, percentile, pool, QUICK, REPEATS, round } from '../lib/util';
import { benchEnv, startHub } from '../lib/world';

/**
 * Writers in one live meeting against the same writers spread over separate task forces (issue 12).
 * Every writer is a coordinator of its own (distinct members), cycling through the live meeting's
 * writes: a minute note, an agenda item edit, an action item from the meeting, a decision, attendance. In one
 * meeting they all contend for the meeting row and for the task force's event counter; spread over
 * task forces they contend for nothing but the server and the database. The ratio of the two is what
 * the lock order and the short critical section are for.
 */

const WRITER_COUNTS = [1, 4, 16];
const SECONDS = Number(process.env.BENCH_WRITES_SECONDS ?? (QUICK ? 3 : 8));
const GOAL = 0.7;

interface Seat {
  token: string;
  /** Checked in to the meeting (the attendance step toggles it). */
  inside?: boolean;
  taskForceId: string;
  meetingId: string;
  agenda: string[];
  agencyId: string;
}

interface Run {
  layout: 'one meeting' | 'spread';
  writers: number;
  mutations: number;
  errors: number;
  errorSample?: string;
  perSecond: number;
  p50: number;
  p99: number;
}

interface Write {
  query: string;
  variables: Record<string, unknown>;
  done?: () => void;
}

const MUTATIONS: ((seat: Seat, n: number) => Write)[] = [
  (s, n) => ({
    query: 'mutation($input: MinuteNoteInput!) { addMinuteNote(input: $input) { id } }',
    variables: { input: { meetingId: s.meetingId, agendaItemId: s.agenda[n % 3], text: `Bench note ${n}` } },
  }),
  (s, n) => ({
    query: 'mutation($input: UpdateAgendaItemInput!) { updateAgendaItem(input: $input) { id } }',
    variables: { input: { agendaItemId: s.agenda[n % 3], title: `Shelter capacity ${n}` } },
  }),
  (s, n) => ({
    query: 'mutation($input: CreateActionItemInput!) { createActionItem(input: $input) { id } }',
    variables: {
      input: {
        taskForceId: s.taskForceId,
        title: `Bench follow-up ${n}`,
        dueOn: '2027-06-01',
        assignee: { agencyId: s.agencyId },
        meetingId: s.meetingId,
      },
    },
  }),
  (s, n) => ({
    query: 'mutation($input: DecisionInput!) { recordDecision(input: $input) { id } }',
    variables: { input: { meetingId: s.meetingId, agendaItemId: s.agenda[n % 3], text: `Bench decision ${n}` } },
  }),
  // Attendance locks the meeting row, as agenda edits do: writers of one meeting queue here.
  (s) => ({
    query: s.inside
      ? 'mutation($m: ID!) { checkOut(meetingId: $m) { id } }'
      : 'mutation($m: ID!) { checkIn(meetingId: $m, mode: REMOTE) { id } }',
    variables: { m: s.meetingId },
    done: () => (s.inside = !s.inside),
  }),
];

async function call(url: string, token: string, query: string, variables: Record<string, unknown>) {
  const { status, text } = await post(`${url}/graphql`, { query, variables }, { authorization: `Bearer ${token}` });
  const body = JSON.parse(text) as { data?: any; errors?: { message: string; extensions?: { code?: string } }[] };
  if (status !== 200 || body.errors?.length)
    throw new Error(`${body.errors?.[0]?.extensions?.code ?? status} ${body.errors?.[0]?.message ?? ''}`);
  return body.data;
}

/** A live meeting with three agenda items, in the given task force, run by `token`. */
async function liveMeeting(url: string, token: string, taskForceId: string) {
  const startsAt = new Date(Date.now() + 600_000);
  const { scheduleMeeting } = await call(
    url,
    token,
    'mutation($input: ScheduleMeetingInput!) { scheduleMeeting(input: $input) { id agenda { id } } }',
    {
      input: {
        taskForceId,
        title: 'Bench coordination',
        startsAt: startsAt.toISOString(),
        endsAt: new Date(startsAt.getTime() + 7_200_000).toISOString(),
        agenda: [{ title: 'Shelter capacity' }, { title: 'Hearings' }, { title: 'Referrals' }],
      },
    },
  );
  await call(url, token, 'mutation($m: ID!) { startMeeting(meetingId: $m) { id } }', { m: scheduleMeeting.id });
  return { meetingId: scheduleMeeting.id as string, agenda: scheduleMeeting.agenda.map((a: { id: string }) => a.id) };
}

/** 16 coordinators of one demo task force sharing its live meeting, and 16 coordinators of 16 task forces. */
async function seats(url: string): Promise<{ oneMeeting: Seat[]; spread: Seat[] }> {
  const max = Math.max(...WRITER_COUNTS);
  const login = async (email: string) =>
    (
      await call(url, '', 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }', {
        e: email,
        p: DEMO_PASSWORD,
      })
    ).login.accessToken as string;
  const admin = await login('admin@demo.local');
  const { taskForces } = await call(url, admin, '{ taskForces { id code } }', {});
  const { agencies } = await call(url, admin, '{ agencies { id kind } }', {});
  const agencyId = agencies.find((a: { kind: string }) => a.kind === 'NATIONAL_AGENCY')?.id ?? agencies[0].id;
  const buc = taskForces.find((t: { code: string }) => t.code === 'BUC').id as string;
  const coordinator = async (taskForceId: string, email: string) => {
    await call(url, admin, 'mutation($input: CreateMemberInput!) { createMember(input: $input) { id } }', {
      input: {
        email,
        displayName: 'Bench Coordinator',
        agencyId,
        password: DEMO_PASSWORD,
        taskForceId,
        role: 'COORDINATOR',
      },
    });
    return login(email);
  };
  const shared = await pool(
    Array.from({ length: max }, (_, i) => i),
    2,
    (i) => coordinator(buc, `bench.writer${i}.buc@demo.local`),
  );
  const meeting = await liveMeeting(url, shared[0], buc);
  const oneMeeting = shared.map((token) => ({ token, taskForceId: buc, agencyId, ...meeting }));
  const spread = await pool(
    Array.from({ length: max }, (_, i) => i),
    2,
    async (i) => {
      const code = `BW${i}`;
      const { createTaskForce } = await call(
        url,
        admin,
        'mutation($input: CreateTaskForceInput!) { createTaskForce(input: $input) { id } }',
        { input: { code, name: `Bench ${code}`, region: 'Bench', courtOfAppeal: 'Bench', counties: ['Bench'] } },
      );
      const token = await coordinator(createTaskForce.id, `bench.writer${i}.${code.toLowerCase()}@demo.local`);
      return {
        token,
        taskForceId: createTaskForce.id,
        agencyId,
        ...(await liveMeeting(url, token, createTaskForce.id)),
      };
    },
  );
  return { oneMeeting, spread };
}

/** `writers` loops for SECONDS, each one request at a time, each starting at another mutation kind. */
async function measure(url: string, layout: Run['layout'], all: Seat[], writers: number): Promise<Run> {
  const latencies: number[] = [];
  let errors = 0;
  let errorSample: string | undefined;
  let sequence = 0;
  const until = now() + SECONDS * 1000;
  const started = now();
  await Promise.all(
    all.slice(0, writers).map(async (seat, w) => {
      for (let i = w; now() < until; i++) {
        const { query, variables, done } = MUTATIONS[i % MUTATIONS.length](seat, ++sequence);
        const t0 = now();
        try {
          await call(url, seat.token, query, variables);
          latencies.push(now() - t0);
          done?.();
        } catch (error) {
          errors++;
          errorSample ??= (error as Error).message.slice(0, 160);
        }
      }
    }),
  );
  const seconds = (now() - started) / 1000;
  return {
    layout,
    writers,
    mutations: latencies.length,
    errors,
    errorSample,
    perSecond: latencies.length / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
  };
}

export async function writes(): Promise<Omit<ScenarioResult, 'seconds'>> {
  const db = await scratchDatabase();
  const dataDir = mkdtempSync(join(tmpdir(), 'hub-bench-writes-'));
  const env = benchEnv(db.url, dataDir);
  await runToEnd(builtEntry('cli'), ['migrate'], env);
  await runToEnd(builtEntry('cli'), ['seed'], env);
  const api = await startHub('api', env);
  try {
    const { oneMeeting, spread } = await seats(api.url);
    log(`writes: ${oneMeeting.length} coordinators in one live meeting, ${spread.length} task forces with one each`);
    // Warm up the process (JIT, pools) on both layouts before anything counts.
    await measure(api.url, 'one meeting', oneMeeting, 4);
    await measure(api.url, 'spread', spread, 4);
    const runs: Run[] = [];
    for (let repeat = 0; repeat < REPEATS; repeat++) {
      for (const writers of WRITER_COUNTS) {
        // Interleaved, so that a slow moment of the machine hits both layouts alike.
        for (const [layout, all] of [
          ['one meeting', oneMeeting],
          ['spread', spread],
        ] as const) {
          const run = await measure(api.url, layout, all, writers);
          log(
            `writes: ${layout}, ${writers} writers: ${round(run.perSecond, 1)}/s, p99 ${round(run.p99, 1)} ms, ${run.errors} errors`,
          );
          runs.push(run);
        }
      }
    }
    const summary = (layout: Run['layout'], writers: number) => {
      const mine = runs.filter((r) => r.layout === layout && r.writers === writers);
      return {
        perSecond: median(mine.map((r) => r.perSecond)),
        p50: median(mine.map((r) => r.p50)),
        p99: median(mine.map((r) => r.p99)),
        spread: [Math.min(...mine.map((r) => r.perSecond)), Math.max(...mine.map((r) => r.perSecond))],
        errors: mine.reduce((sum, r) => sum + r.errors, 0),
        mutations: mine.reduce((sum, r) => sum + r.mutations, 0),
      };
    };
    const rows: Cell[][] = [];
    for (const writers of WRITER_COUNTS) {
      const one = summary('one meeting', writers);
      const apart = summary('spread', writers);
      for (const [name, s] of [
        ['one live meeting', one],
        [`spread over ${writers} task force${writers > 1 ? 's' : ''}`, apart],
      ] as const)
        rows.push([
          writers,
          name,
          round(s.perSecond, 1),
          `${round(s.spread[0], 1)}–${round(s.spread[1], 1)}`,
          round(s.p50, 1),
          round(s.p99, 1),
          s.errors,
        ]);
      rows.push([writers, 'one meeting ÷ spread', `${ratio(one.perSecond, apart.perSecond)}×`, '', '', '', '']);
    }
    const at16 = { one: summary('one meeting', 16), apart: summary('spread', 16) };
    const share = at16.one.perSecond / at16.apart.perSecond;
    const errors = runs.reduce((sum, r) => sum + r.errors, 0);
    return {
      id: 'writes',
      title: '8. Concurrent writes in one live meeting',
      tables: [
        {
          title: `Mutations per second and latency (ms), ${SECONDS} s per measurement, median of ${REPEATS}`,
          columns: ['writers', 'layout', 'mutations/s', 'range over repeats', 'p50', 'p99', 'errors'],
          rows,
        },
      ],
      targets: [
        {
          target: `16 writers in one meeting reach ≥ ${GOAL}× the throughput of 16 writers over 16 task forces, with zero errors`,
          measured: `${round(share, 2)}× (${round(at16.one.perSecond, 1)} vs ${round(at16.apart.perSecond, 1)} mutations/s), ${errors} errors in ${runs.reduce((s, r) => s + r.mutations, 0)} mutations${errors ? `: ${runs.find((r) => r.errorSample)?.errorSample}` : ''}`,
          met: share >= GOAL && errors === 0,
        },
      ],
      notes: [
        'One `api` process on PostgreSQL (a scratch database on the machine\'s server), no Redis. Each writer is a distinct coordinator and sends one mutation at a time, cycling through addMinuteNote, updateAgendaItem, createActionItem (from the meeting), recordDecision and checkIn/checkOut, each starting at another kind so all five run at once; updateAgendaItem and attendance lock the meeting row, the others only reference it. "One live meeting": all writers in the same meeting of one task force (one meeting row, one event counter). "Spread": writer i in the live meeting of its own task force.',
        'Bound by: 2 cores shared by the load generator, the api process and PostgreSQL. Both layouts are CPU-bound here, which pulls the ratio towards 1 whatever the lock hold time; compare the p99 columns too. One api process and no Redis, unlike the scaled deployment. Before the lock-order fix, the one-meeting layout deadlocked (PostgreSQL waits out its 1 s deadlock timeout while holding the counter row).',
      ],
      raw: runs,
    };
  } finally {
    await api.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
