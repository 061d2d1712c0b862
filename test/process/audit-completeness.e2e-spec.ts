import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scratchDatabase, type ScratchDatabase } from '../utils/database';
import { jsonLogLines } from '../utils/output';
import { logsWritten, run, type Running, start } from '../utils/process';

/**
 * Audit completeness on the built hub (PostgreSQL, LOG_LEVEL=debug, the most verbose level):
 * a scripted run of N reads of restricted case-summary sections (through the summary, its revisions,
 * a comparison and a meeting's agenda link) and M audited changes (case summaries, memberships)
 * yields exactly N + M matching audit records with the right actor, subject, action and details,
 * and none for reads that were refused or withheld. Marker strings planted in sensitive fields,
 * passwords, tokens, GET variables, an Authorization header and failing requests appear zero times
 * in everything the process wrote to stdout and stderr.
 *
 * Demo data is seeded with the CLI beforehand, so the hub itself never prints the demo password
 * (its own banner would, by design, when it seeds).
 */

const SECRET = 'audit-completeness-secret-0123456789-abcdef';
const marker = (what: string) => `MARKER-${what}-${randomBytes(6).toString('hex')}`;

interface AuditRow {
  id: string;
  action: string;
  actorId: string | null;
  taskForceId: string | null;
  subjectType: string | null;
  subjectId: string | null;
  details: string | null;
}

/** The part of an audit record the script predicts. */
interface Expected {
  action: string;
  actorId: string;
  subjectId: string;
  details?: Record<string, unknown>;
}

describe('audit completeness and log hygiene (built hub, PostgreSQL, LOG_LEVEL=debug)', () => {
  let db: ScratchDatabase;
  let dataDir: string;
  let hub: Running | undefined;
  const demoPassword = `demo-${randomBytes(9).toString('base64url')}`;

  beforeAll(async () => {
    db = await scratchDatabase('postgres');
    dataDir = mkdtempSync(join(tmpdir(), 'hub-audit-'));
    const env = { DATABASE_URL: db.url, JWT_SECRET: SECRET, DATA_DIR: dataDir };
    const migrated = await run('cli', ['migrate'], env);
    if (migrated.code !== 0) throw new Error(`migrate failed: ${migrated.stdout}${migrated.stderr}`);
    const seeded = await run('cli', ['seed'], { ...env, DEMO_PASSWORD: demoPassword });
    if (seeded.code !== 0) throw new Error(`seed failed: ${seeded.stdout}${seeded.stderr}`);
    hub = await start('hub', {
      ...env,
      LOG_LEVEL: 'debug',
      MIGRATE_ON_START: 'false',
      DEMO_DATA: 'false',
      MUTATION_RATE_LIMIT: '100000',
      LOGIN_RATE_LIMIT: '1000',
    });
  });

  afterAll(async () => {
    if (hub) {
      const stopped = await hub.stop();
      if (stopped.code !== 0)
        throw new Error(
          `hub exited with ${stopped.code}/${stopped.signal}: ${hub.output().split('\n').slice(-15).join('\n')}`,
        );
    }
    await db?.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('records exactly one audit line per restricted section read and per change, and no marker reaches the logs', async () => {
    const endpoint = `${hub!.url}/graphql`;
    const markers: string[] = [];
    const plant = (what: string) => {
      const value = marker(what);
      markers.push(value);
      return value;
    };

    const call = async (
      query: string,
      variables: Record<string, unknown> = {},
      token?: string,
      headers: Record<string, string> = {},
    ) => {
      const response = await fetch(endpoint, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...headers,
        },
        body: JSON.stringify({ query, variables }),
      });
      return {
        status: response.status,
        body: (await response.json()) as { data?: any; errors?: { message: string; extensions?: { code?: string } }[] },
      };
    };
    const data = async (query: string, variables: Record<string, unknown>, token?: string) => {
      const { body } = await call(query, variables, token);
      if (body.errors?.length || !body.data) throw new Error(`${query.slice(0, 60)}: ${JSON.stringify(body.errors)}`);
      return body.data;
    };
    const codeOf = async (
      query: string,
      variables: Record<string, unknown>,
      token?: string,
      headers?: Record<string, string>,
    ) => (await call(query, variables, token, headers)).body.errors?.[0]?.extensions?.code;

    const signIn = async (email: string) => {
      const { login } = await data(
        'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken refreshToken } }',
        { e: email, p: demoPassword },
      );
      // Tokens are secrets too: none may appear in a log.
      markers.push(login.accessToken, login.refreshToken);
      const { me } = await data('{ me { id memberships { taskForce { id code } } } }', {}, login.accessToken);
      return {
        token: login.accessToken as string,
        refreshToken: login.refreshToken as string,
        id: me.id as string,
        taskForceId: me.memberships[0]?.taskForce.id as string,
      };
    };

    // People of different agency kinds in BUC (libs/access/src/access.table.ts, SECTION_ACCESS):
    const diicot = await signIn('diicot.buc@demo.local'); // coordinator: overview w, investigation w, prosecution w, victim support r
    const anitp = await signIn('anitp.buc@demo.local'); // coordinator: overview w, prosecution r, victim support w
    const police = await signIn('police.buc@demo.local'); // member: overview w, investigation w, prosecution r
    const ngo = await signIn('ngo.buc@demo.local'); // member: overview w, victim support w
    const court = await signIn('court.buc@demo.local'); // observer: overview r, prosecution r
    const other = await signIn('other.buc@demo.local'); // observer: overview r only
    const outsider = await signIn('police.ias@demo.local'); // another task force
    const admin = await signIn('admin@demo.local'); // platform administrator: no sections
    const taskForceId = diicot.taskForceId;

    const trail = async (): Promise<AuditRow[]> => {
      const { auditRecords } = await data(
        'query($tf: ID!) { auditRecords(filter: { taskForceId: $tf }, first: 200) { nodes { id action actorId taskForceId subjectType subjectId details } } }',
        { tf: taskForceId },
        anitp.token,
      );
      return auditRecords.nodes;
    };
    const baseline = Math.max(0, ...(await trail()).map((row) => Number(row.id)));

    const expected: Expected[] = [];
    let reads = 0;
    let changes = 0;
    const read = (actor: { id: string }, subjectId: string, details: Record<string, unknown>) => {
      reads += 1;
      expected.push({ action: 'caseSummary.sectionRead', actorId: actor.id, subjectId, details });
    };
    const change = (action: string, actor: { id: string }, subjectId: string, details?: Record<string, unknown>) => {
      changes += 1;
      expected.push({ action, actorId: actor.id, subjectId, details });
    };

    // ---- M changes ------------------------------------------------------------------------------
    const caseCode = `AUD-${randomBytes(3).toString('hex').toUpperCase()}`;
    const { createCaseSummary: summary } = await data(
      'mutation($input: CreateCaseSummaryInput!) { createCaseSummary(input: $input) { id version } }',
      {
        input: {
          taskForceId,
          caseCode,
          stage: 'INVESTIGATION',
          sections: {
            overview: plant('overview'),
            investigation: plant('investigation'),
            prosecution: plant('prosecution'),
          },
        },
      },
      diicot.token,
    );
    change('caseSummary.created', diicot, summary.id, { caseCode, version: 1 });

    const UPDATE = 'mutation($input: UpdateCaseSummaryInput!) { updateCaseSummary(input: $input) { id version } }';
    await data(
      UPDATE,
      { input: { id: summary.id, baseVersion: 1, sections: { investigation: plant('investigation-2') } } },
      diicot.token,
    );
    change('caseSummary.updated', diicot, summary.id, { version: 2, changed: ['INVESTIGATION'] });
    await data(
      UPDATE,
      { input: { id: summary.id, baseVersion: 2, sections: { victimSupport: plant('victim-support') } } },
      anitp.token,
    );
    change('caseSummary.updated', anitp, summary.id, { version: 3, changed: ['VICTIM_SUPPORT'] });

    const { addMembership } = await data(
      'mutation($input: AddMembershipInput!) { addMembership(input: $input) { id } }',
      { input: { taskForceId, email: 'labour.ias@demo.local', role: 'OBSERVER' } },
      anitp.token,
    );
    const labourIas = (
      await data(
        'mutation($input: ChangeMembershipRoleInput!) { changeMembershipRole(input: $input) { id member { id } } }',
        { input: { membershipId: addMembership.id, role: 'MEMBER' } },
        anitp.token,
      )
    ).changeMembershipRole.member;
    change('membership.added', anitp, addMembership.id, { memberId: labourIas.id, role: 'OBSERVER' });
    change('membership.roleChanged', anitp, addMembership.id, {
      memberId: labourIas.id,
      from: 'OBSERVER',
      to: 'MEMBER',
    });
    await data(
      'mutation($id: ID!) { removeMembership(membershipId: $id) { id } }',
      { id: addMembership.id },
      diicot.token,
    );
    change('membership.removed', diicot, addMembership.id, { memberId: labourIas.id, role: 'MEMBER' });

    // Refused changes leave no record: a section the police may not write, a stale version, a stranger.
    expect(
      await codeOf(
        UPDATE,
        { input: { id: summary.id, baseVersion: 3, sections: { victimSupport: plant('forbidden-write') } } },
        police.token,
      ),
    ).toBe('FORBIDDEN');
    expect(
      await codeOf(
        UPDATE,
        { input: { id: summary.id, baseVersion: 1, sections: { investigation: plant('stale-write') } } },
        diicot.token,
      ),
    ).toBe('CONFLICT');
    expect(
      await codeOf(
        UPDATE,
        { input: { id: summary.id, baseVersion: 3, sections: { overview: plant('outsider-write') } } },
        outsider.token,
      ),
    ).toBe('NOT_FOUND');
    expect(
      await codeOf(
        UPDATE,
        { input: { id: randomUUID(), baseVersion: 1, sections: { overview: plant('not-found') } } },
        diicot.token,
      ),
    ).toBe('NOT_FOUND');
    expect(
      await codeOf(
        'mutation($id: ID!) { changeMembershipRole(input: { membershipId: $id, role: MEMBER }) { id } }',
        { id: randomUUID() },
        police.token,
      ),
    ).toMatch(/FORBIDDEN|NOT_FOUND/);

    // ---- N reads of restricted sections ------------------------------------------------------------
    const SECTIONS = 'overview investigation prosecution victimSupport';
    const readSummary = async (who: { token: string }) =>
      (await data(`query($id: ID!) { caseSummary(id: $id) { ${SECTIONS} } }`, { id: summary.id }, who.token))
        .caseSummary;

    const byPolice = await readSummary(police); // investigation and prosecution; victim support withheld
    expect(byPolice.victimSupport).toBeNull();
    read(police, summary.id, { section: 'INVESTIGATION', via: 'summary' });
    read(police, summary.id, { section: 'PROSECUTION', via: 'summary' });
    const byNgo = await readSummary(ngo); // victim support only
    expect([byNgo.investigation, byNgo.prosecution]).toEqual([null, null]);
    read(ngo, summary.id, { section: 'VICTIM_SUPPORT', via: 'summary' });
    const byCourt = await readSummary(court); // prosecution only
    expect([byCourt.investigation, byCourt.victimSupport]).toEqual([null, null]);
    read(court, summary.id, { section: 'PROSECUTION', via: 'summary' });

    // Revisions: one record per revision and restricted section read.
    const { caseSummary: history } = await data(
      'query($id: ID!) { caseSummary(id: $id) { revisions { version investigation } } }',
      { id: summary.id },
      diicot.token,
    );
    expect(history.revisions.map((r: { version: number }) => r.version)).toEqual([3, 2, 1]);
    for (const version of [3, 2, 1]) read(diicot, summary.id, { section: 'INVESTIGATION', via: 'revision', version });

    // A comparison: the one restricted section that differs between versions 1 and 2.
    const { compareCaseSummaryVersions } = await data(
      'query($id: ID!) { compareCaseSummaryVersions(id: $id, fromVersion: 1, toVersion: 2) { field } }',
      { id: summary.id },
      police.token,
    );
    expect(compareCaseSummaryVersions.map((d: { field: string }) => d.field)).toEqual(['INVESTIGATION']);
    read(police, summary.id, { section: 'INVESTIGATION', via: 'comparison', version: 2 });

    // Through a meeting's agenda link (meetings are not audited; the section read is).
    const start = new Date(Date.now() + 3600_000);
    const { scheduleMeeting } = await data(
      'mutation($input: ScheduleMeetingInput!) { scheduleMeeting(input: $input) { id agenda { id } } }',
      {
        input: {
          taskForceId,
          title: 'Case review',
          startsAt: start.toISOString(),
          endsAt: new Date(start.getTime() + 3600_000).toISOString(),
          agenda: [{ title: 'The case', caseSummaryId: summary.id }],
        },
      },
      diicot.token,
    );
    const { meeting } = await data(
      'query($id: ID!) { meeting(id: $id) { agenda { caseSummary { id prosecution } } } }',
      { id: scheduleMeeting.id },
      court.token,
    );
    expect(meeting.agenda[0].caseSummary.id).toBe(summary.id);
    read(court, summary.id, { section: 'PROSECUTION', via: 'summary' });

    // Reads that see nothing restricted leave no record: an observer with the overview only, an
    // administrator, another task force's member, and a refused comparison.
    expect(await readSummary(other)).toEqual({
      overview: expect.any(String),
      investigation: null,
      prosecution: null,
      victimSupport: null,
    });
    expect(
      await codeOf(`query($id: ID!) { caseSummary(id: $id) { ${SECTIONS} } }`, { id: summary.id }, admin.token),
    ).toBe('NOT_FOUND');
    expect(
      await codeOf(`query($id: ID!) { caseSummary(id: $id) { ${SECTIONS} } }`, { id: summary.id }, outsider.token),
    ).toBe('NOT_FOUND');
    expect(
      await codeOf(
        'query($id: ID!) { compareCaseSummaryVersions(id: $id, fromVersion: 1, toVersion: 9) { field } }',
        { id: summary.id },
        police.token,
      ),
    ).toBe('BAD_USER_INPUT');

    // ---- markers in the other sensitive places ----------------------------------------------------
    const { createActionItem: item } = await data(
      'mutation($input: CreateActionItemInput!) { createActionItem(input: $input) { id } }',
      {
        input: {
          taskForceId,
          title: 'Interview again',
          description: plant('description'),
          dueOn: new Date(Date.now() + 86_400_000 * 3).toISOString().slice(0, 10),
          assignee: { memberId: police.id },
        },
      },
      diicot.token,
    );
    await data(
      'mutation($id: ID!, $text: String!) { commentOnActionItem(id: $id, text: $text) { id } }',
      { id: item.id, text: plant('comment') },
      police.token,
    );
    await data('mutation($id: ID!) { startMeeting(meetingId: $id) { id } }', { id: scheduleMeeting.id }, diicot.token);
    await data(
      'mutation($input: MinuteNoteInput!) { addMinuteNote(input: $input) { id } }',
      { input: { meetingId: scheduleMeeting.id, agendaItemId: scheduleMeeting.agenda[0].id, text: plant('note') } },
      police.token,
    );
    await data(
      'mutation($input: DecisionInput!) { recordDecision(input: $input) { id } }',
      { input: { meetingId: scheduleMeeting.id, agendaItemId: scheduleMeeting.agenda[0].id, text: plant('decision') } },
      diicot.token,
    );
    const { refreshToken: rotated } = await data(
      'mutation($t: String!) { refreshToken(token: $t) { accessToken refreshToken } }',
      { t: ngo.refreshToken },
    );
    markers.push(rotated.accessToken, rotated.refreshToken);
    // Its successor used: the first token presented again is reuse, not a client retrying a lost answer.
    const { refreshToken: again } = await data(
      'mutation($t: String!) { refreshToken(token: $t) { accessToken refreshToken } }',
      { t: rotated.refreshToken },
    );
    markers.push(again.accessToken, again.refreshToken);

    // A wrong password, a spent refresh token, an unknown one.
    expect(
      await codeOf('mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }', {
        e: 'police.buc@demo.local',
        p: plant('password'),
      }),
    ).toBe('UNAUTHENTICATED');
    expect(
      await codeOf('mutation($t: String!) { refreshToken(token: $t) { accessToken } }', { t: ngo.refreshToken }),
    ).toBe('UNAUTHENTICATED');
    expect(
      await codeOf('mutation($t: String!) { refreshToken(token: $t) { accessToken } }', { t: plant('refresh') }),
    ).toBe('UNAUTHENTICATED');
    // A marker as the bearer token of a failing request.
    expect(await codeOf('{ me { id } }', {}, plant('authorization'))).toBe('UNAUTHENTICATED');
    // Validation failures, type errors and parse errors carrying markers.
    expect(
      await codeOf(
        'mutation($id: ID!, $text: String!) { commentOnActionItem(id: $id, text: $text) { id } }',
        { id: item.id, text: `${plant('too-long')}${'x'.repeat(6000)}` },
        police.token,
      ),
    ).toBe('BAD_USER_INPUT');
    expect(
      await codeOf(
        'mutation($id: ID!, $text: String!) { commentOnActionItem(id: $id, text: $text) { id } }',
        { id: plant('bad-id'), text: 'ok' },
        police.token,
      ),
    ).toBe('BAD_USER_INPUT');
    expect(await codeOf(UPDATE, { input: { id: summary.id, baseVersion: plant('not-an-int') } }, diicot.token)).toBe(
      'BAD_USER_INPUT',
    );
    expect(
      await codeOf(
        'mutation($input: CreateActionItemInput!) { createActionItem(input: $input) { id } }',
        {
          input: {
            taskForceId,
            title: plant('bad-enum'),
            dueOn: '2026-12-01',
            assignee: {},
            priority: plant('PRIORITY'),
          },
        },
        diicot.token,
      ),
    ).toBe('BAD_USER_INPUT');
    const asName = (value: string) => {
      const name = value.replace(/-/g, '_');
      markers.push(name);
      return name;
    };
    expect(await codeOf(`mutation { ${asName(plant('parse'))} ( }`, {}, police.token)).toBe('GRAPHQL_PARSE_FAILED');
    expect(
      await codeOf(`{ caseSummary(id: "${randomUUID()}") { ${asName(plant('unknown-field'))} } }`, {}, police.token),
    ).toBe('GRAPHQL_VALIDATION_FAILED');
    // GraphQL over GET: variables in the query string.
    const getVariables = plant('get-variables');
    const get = await fetch(
      `${endpoint}?query=${encodeURIComponent('query($id: ID!) { caseSummary(id: $id) { id } }')}&variables=${encodeURIComponent(JSON.stringify({ id: getVariables }))}`,
      {
        headers: { 'apollo-require-preflight': 'true', authorization: `Bearer ${police.token}` },
      },
    );
    expect(get.status).toBeLessThan(500);
    // A marker inside the query text itself, over GET.
    const prefix = plant('prefix').slice(0, 30);
    markers.push(prefix);
    const getQuery = await fetch(
      `${endpoint}?query=${encodeURIComponent(`{ caseSummaries(taskForceId: "${taskForceId}", filter: { codePrefix: "${prefix}" }) { id } }`)}`,
      {
        headers: { 'apollo-require-preflight': 'true', authorization: `Bearer ${police.token}` },
      },
    );
    expect(getQuery.status).toBeLessThan(500);

    // ---- the trail: exactly N + M records, as predicted --------------------------------------------
    expect(reads).toBe(9);
    expect(changes).toBe(6);
    const audited = (await trail())
      .filter((row) => Number(row.id) > baseline)
      .filter((row) => row.action.startsWith('caseSummary.') || row.action.startsWith('membership.'))
      .map((row) => ({
        action: row.action,
        actorId: row.actorId,
        subjectId: row.subjectId,
        taskForceId: row.taskForceId,
        details: row.details ? JSON.parse(row.details) : undefined,
      }));
    // Key order is the database's (PostgreSQL jsonb sorts keys): compare with sorted keys.
    const sortedKeys = (value: Record<string, unknown> | undefined) =>
      value ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b))) : null;
    const canonical = (
      rows: { action: string; actorId: string | null; subjectId: string | null; details?: Record<string, unknown> }[],
    ) =>
      rows
        .map((row) =>
          JSON.stringify({
            action: row.action,
            actorId: row.actorId,
            subjectId: row.subjectId,
            details: sortedKeys(row.details),
          }),
        )
        .sort();
    expect(audited).toHaveLength(reads + changes);
    expect(audited.every((row) => row.taskForceId === taskForceId)).toBe(true);
    expect(canonical(audited)).toEqual(canonical(expected));
    // The trail names sections and versions, never their text.
    expect(JSON.stringify(audited)).not.toMatch(/MARKER-/);

    // ---- the logs ----------------------------------------------------------------------------------
    await logsWritten(hub!);
    const output = hub!.output();
    const requestLines = jsonLogLines(output).filter(
      (line) => typeof line.requestId === 'string' && line.req?.path === '/graphql',
    );
    // Logs were really captured: one line per request at least.
    expect(requestLines.length).toBeGreaterThanOrEqual(40);
    const leaked = markers.filter((value) => output.includes(value)).map((value) => value.slice(0, 40));
    expect(leaked).toEqual([]);
    expect(output.includes(demoPassword)).toBe(false);
    expect(output).not.toMatch(/MARKER[-_]/);
  });
  /**
   * Text a database cannot store (a NUL character) must be refused as bad input. Today it fails inside
   * the database driver: PostgreSQL answers SERVICE_UNAVAILABLE (retryable, so clients retry forever),
   * and on SQLite the error is logged with the whole SQL statement and its values, section text included.
   */
  it.each(['postgres', 'sqlite'] as const)(
    'refuses a NUL character in case text as bad input, and never logs the text (%s)',
    async (dialect) => {
      const scratch = dialect === 'postgres' ? db : undefined;
      const folder = mkdtempSync(join(tmpdir(), 'hub-nul-'));
      const password = `demo-${randomBytes(9).toString('base64url')}`;
      const target =
        dialect === 'postgres'
          ? hub!
          : await start('hub', {
              DATA_DIR: folder,
              JWT_SECRET: SECRET,
              DEMO_PASSWORD: password,
              LOG_LEVEL: 'debug',
              MUTATION_RATE_LIMIT: '100000',
            });
      try {
        const endpoint = `${target.url}/graphql`;
        const post = async (query: string, variables: Record<string, unknown>, token?: string) =>
          (await (
            await fetch(endpoint, {
              method: 'POST',
              headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
              body: JSON.stringify({ query, variables }),
            })
          ).json()) as any;
        const signedIn = await post(
          'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }',
          { e: 'police.buc@demo.local', p: scratch ? demoPassword : password },
        );
        const token = signedIn.data.login.accessToken;
        const { data } = await post('{ me { memberships { taskForce { id code } } } }', {}, token);
        const taskForceId = data.me.memberships.find((m: { taskForce: { code: string } }) => m.taskForce.code === 'BUC')
          .taskForce.id;
        const secret = marker('nul-section');
        const caseCode = `NUL-${randomBytes(3).toString('hex').toUpperCase()}`;
        const answer = await post(
          'mutation($input: CreateCaseSummaryInput!) { createCaseSummary(input: $input) { id } }',
          {
            input: {
              taskForceId,
              caseCode,
              stage: 'INVESTIGATION',
              sections: { investigation: `${secret} witness statement\u0000` },
            },
          },
          token,
        );
        const nulEmail = await post(
          'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }',
          { e: `${marker('nul-email')}@demo.local\u0000`, p: 'whatever' },
        );
        await logsWritten(target);
        const output = target.output();
        expect({
          leakedToLog: output.includes(secret),
          section: answer.errors?.[0]?.extensions?.code,
          email: nulEmail.errors?.[0]?.extensions?.code,
        }).toEqual({
          leakedToLog: false,
          section: 'BAD_USER_INPUT',
          email: expect.stringMatching(/^(BAD_USER_INPUT|UNAUTHENTICATED)$/),
        });
      } finally {
        if (dialect === 'sqlite') await target.stop();
        rmSync(folder, { recursive: true, force: true });
      }
    },
  );
});
