import { TaskForceRole } from '@hub/access';
import { AuditRecord } from '@hub/audit';
import { CaseStage } from '@hub/case-summaries';
import { Member } from '@hub/identity';
import { MeetingStatus } from '@hub/meetings';
import { TaskForce } from '@hub/task-forces';
import { IdentityFactory, login } from '../factories/identity.factory';
import { ReportsFactory } from '../factories/reports.factory';
import { pdfText } from '../utils/pdf-text';
import { countStatements } from '../utils/sql-statements';
import { startTestApp, type TestApp } from '../utils/test-app';

const GRANT = `mutation($id: ID!, $granted: Boolean!) { setNationalProgrammeRole(memberId: $id, granted: $granted) { id isNationalProgramme } }`;
const REPORT = `query($tf: ID!, $p: String!) { taskForceReport(taskForceId: $tf, period: $p) { taskForceCode period { key } periods { key } tables { indicator rows { key values } } } }`;

/**
 * The reports over HTTP: the GraphQL queries, the downloads and their audit, and the national
 * programme role, which every case-level query refuses with FORBIDDEN (the test tries them all).
 */
describe('reports over GraphQL and HTTP', () => {
  let app: TestApp;
  let make: IdentityFactory;
  let taskForceId: string;
  let member: Awaited<ReturnType<IdentityFactory['signedIn']>>;
  let nationalToken: string;
  let ids: { meeting: string; item: string; case: string };

  beforeAll(async () => {
    app = await startTestApp();
    make = new IdentityFactory(app);
    const taskForce = await make.taskForce();
    taskForceId = taskForce.id;
    member = await make.signedIn(taskForce, TaskForceRole.OBSERVER);
    const admin = await make.signedIn(null, TaskForceRole.MEMBER, { admin: true });
    const programme = await make.member();
    const { setNationalProgrammeRole } = await app.gql.data(
      GRANT,
      { id: programme.id, granted: true },
      { token: admin.token },
    );
    expect(setNationalProgrammeRole.isNationalProgramme).toBe(true);
    nationalToken = (await login(app, programme.email)).accessToken;

    const em = app.em();
    const by = await em.findOneOrFail(Member, { id: member.member.id });
    const f = new ReportsFactory(em, taskForce, by);
    const meeting = f.meeting('2026-05-12T07:00:00Z', MeetingStatus.ENDED, [by]);
    const item = f.item({ createdAt: '2026-05-12T09:00:00Z', dueOn: '2026-05-20' });
    const summary = f.caseSummary('E-1', [
      ['2026-05-01T09:00:00Z', CaseStage.IDENTIFICATION, 2, 0, 0],
      ['2026-05-11T09:00:00Z', CaseStage.INVESTIGATION, 2, 0, 1],
    ]);
    await em.flush();
    ids = { meeting: meeting.id, item: item.id, case: summary.id };
  });
  afterAll(() => app?.close());

  it('answers the task-force report to a member, with its trend', async () => {
    const { taskForceReport } = await app.gql.data(REPORT, { tf: taskForceId, p: '2026-Q2' }, { token: member.token });
    expect(taskForceReport.periods.map((p: { key: string }) => p.key)).toEqual([
      '2025-Q3',
      '2025-Q4',
      '2026-Q1',
      '2026-Q2',
    ]);
    const table = (id: string) => taskForceReport.tables.find((t: { indicator: string }) => t.indicator === id).rows;
    expect(table('meetings.held')).toEqual([{ key: 'ALL', values: [0, 0, 0, 1] }]);
    expect(table('cases.transitions')).toEqual([{ key: 'IDENTIFICATION→INVESTIGATION', values: [0, 0, 0, 1] }]);
    const { indicators } = await app.gql.data(
      '{ indicators { id version unit formula } }',
      {},
      { token: member.token },
    );
    expect(indicators).toHaveLength(23);
  });

  it('downloads CSV, XLSX and PDF with a token, and records each download', async () => {
    const before = await app.em().count(AuditRecord, { action: 'report.exported', taskForceId });
    for (const [format, type] of [
      ['csv', /^text\/csv/],
      ['xlsx', /spreadsheetml/],
      ['pdf', /^application\/pdf/],
    ] as const) {
      const response = await fetch(`${app.url}/reports/task-forces/${taskForceId}/report.${format}?period=2026-Q2`, {
        headers: { authorization: `Bearer ${member.token}` },
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(type);
      expect(response.headers.get('content-disposition')).toMatch(
        new RegExp(`filename="report-.+-2026-Q2\\.${format}"`),
      );
      const body = Buffer.from(await response.arrayBuffer());
      if (format === 'csv') expect(body.toString('utf8')).toContain('\r\nALL,0,0,0,1\r\n');
      if (format === 'pdf') expect(body.subarray(0, 5).toString()).toBe('%PDF-');
      expect(body.toString('latin1')).not.toContain('E-1');
    }
    const records = await app
      .em()
      .find(AuditRecord, { action: 'report.exported', taskForceId }, { orderBy: { id: 'asc' } });
    expect(records.length - before).toBe(3);
    expect(records.slice(-3).map((r) => [r.actorId, r.subjectId, r.details])).toEqual(
      ['csv', 'xlsx', 'pdf'].map((format) => [member.member.id, '2026-Q2', { format, table: null }]),
    );
  });

  it('writes the PDF in the reader’s language: Romanian when the client asks for it or the browser prefers it', async () => {
    const languages: (string | null)[] = [];
    const pdf = async (query: string, headers: Record<string, string> = {}) => {
      const response = await fetch(`${app.url}/reports/task-forces/${taskForceId}/report.pdf?period=2026-Q2${query}`, {
        headers: { authorization: `Bearer ${member.token}`, ...headers },
      });
      expect(response.status).toBe(200);
      languages.push(response.headers.get('content-language'));
      return (await pdfText(Buffer.from(await response.arrayBuffer()))).join('\n');
    };
    const romanian = await pdf('&lang=ro', { 'accept-language': 'en-GB' });
    expect(romanian).toContain('Raportul programului pentru 2026-Q2 (de la 2026-04-01 până la 2026-06-30)');
    expect(romanian).toContain('Grafic: Ședințe ținute');
    expect(romanian).toContain('Victime care participă la proceduri (număr)');
    expect(romanian).toContain('Identificare → Urmărire penală');
    expect(romanian).not.toContain('Meetings held');
    expect(await pdf('', { 'accept-language': 'ro-RO,ro;q=0.9,en;q=0.8' })).toContain('Grafic: Ședințe ținute');
    const english = await pdf('&lang=en', { 'accept-language': 'ro-RO' });
    expect(english).toContain('Programme report for 2026-Q2 (2026-04-01 to 2026-06-30)');
    expect(english).toContain('Chart: Meetings held');
    expect(english).not.toContain('Ședințe');
    expect(languages).toEqual(['ro', 'ro', 'en']);
    for (const lang of ['lang=de', 'lang=ro&lang=en']) {
      const refused = await fetch(`${app.url}/reports/task-forces/${taskForceId}/report.pdf?period=2026-Q2&${lang}`, {
        headers: { authorization: `Bearer ${member.token}` },
      });
      expect(refused.status).toBe(400);
      expect(await refused.json()).toMatchObject({ code: 'BAD_USER_INPUT', field: 'lang' });
    }
  });

  it('refuses downloads without a token (401), with a bad format or period (400), and an outsider (404)', async () => {
    const url = (format: string, period = '2026-Q2') =>
      `${app.url}/reports/task-forces/${taskForceId}/report.${format}?period=${period}`;
    expect((await fetch(url('csv'))).status).toBe(401);
    const bad = await fetch(url('docx'), { headers: { authorization: `Bearer ${member.token}` } });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { code: string }).code).toBe('BAD_USER_INPUT');
    const period = await fetch(url('csv', '2026-Q9'), { headers: { authorization: `Bearer ${member.token}` } });
    expect(period.status).toBe(400);
    const outsider = await make.signedIn(await make.taskForce(), TaskForceRole.COORDINATOR);
    expect((await fetch(url('csv'), { headers: { authorization: `Bearer ${outsider.token}` } })).status).toBe(404);
  });

  it('gives the national programme role FORBIDDEN on every task-force and case-level query and download', async () => {
    const attempts: [string, string, Record<string, unknown>][] = [
      ['taskForce', 'query($id: ID!) { taskForce(id: $id) { id } }', { id: taskForceId }],
      ['meetings', 'query($tf: ID!) { meetings(taskForceId: $tf, first: 10) { nodes { id } } }', { tf: taskForceId }],
      ['meeting', 'query($id: ID!) { meeting(id: $id) { id } }', { id: ids.meeting }],
      ['meetingMinutes', 'query($id: ID!) { meetingMinutes(meetingId: $id) { filename } }', { id: ids.meeting }],
      [
        'actionItems',
        'query($tf: ID!) { actionItems(taskForceId: $tf, first: 10) { nodes { id } } }',
        { tf: taskForceId },
      ],
      ['actionItem', 'query($id: ID!) { actionItem(id: $id) { id } }', { id: ids.item }],
      ['caseSummaries', 'query($tf: ID!) { caseSummaries(taskForceId: $tf) { id } }', { tf: taskForceId }],
      ['caseSummary', 'query($id: ID!) { caseSummary(id: $id) { id } }', { id: ids.case }],
      [
        'compareCaseSummaryVersions',
        'query($id: ID!) { compareCaseSummaryVersions(id: $id, fromVersion: 1, toVersion: 2) { field } }',
        { id: ids.case },
      ],
      ['taskForceReport', REPORT, { tf: taskForceId, p: '2026-Q2' }],
      // What issues 14, 15, 18 and 19 added: series, since the last meeting, referrals, hearings, client apps.
      ['meetingSeries', 'query($tf: ID!) { meetingSeries(taskForceId: $tf) { id } }', { tf: taskForceId }],
      [
        'sinceLastMeeting',
        'query($tf: ID!) { sinceLastMeeting(taskForceId: $tf) { __typename } }',
        { tf: taskForceId },
      ],
      ['referrals', 'query($tf: ID!) { referrals(taskForceId: $tf) { id } }', { tf: taskForceId }],
      ['hearings', 'query($tf: ID!) { hearings(taskForceId: $tf) { id } }', { tf: taskForceId }],
      ['serviceAccounts', 'query($tf: ID!) { serviceAccounts(taskForceId: $tf) { id } }', { tf: taskForceId }],
      [
        'auditRecords',
        'query($tf: ID!) { auditRecords(filter: { taskForceId: $tf }, first: 5) { nodes { id } } }',
        { tf: taskForceId },
      ],
    ];
    const answers: Record<string, string | undefined> = {};
    for (const [name, query, variables] of attempts)
      answers[name] = (await app.gql.error(query, variables, { token: nationalToken })).extensions?.code;
    expect(answers).toEqual(Object.fromEntries(attempts.map(([name]) => [name, 'FORBIDDEN'])));
    const { taskForces } = await app.gql.data('{ taskForces { id } }', {}, { token: nationalToken });
    expect(taskForces).toEqual([]);
    const download = await fetch(`${app.url}/reports/task-forces/${taskForceId}/report.pdf?period=2026-Q2`, {
      headers: { authorization: `Bearer ${nationalToken}` },
    });
    expect(download.status).toBe(403);
  });

  it('reads the national roll-up only as the national role, and only for a closed quarter', async () => {
    const query = 'query($p: String!) { nationalReport(period: $p) { taskForces } }';
    expect((await app.gql.error(query, { p: '2026-Q2' }, { token: member.token })).extensions?.code).toBe('FORBIDDEN');
    expect((await app.gql.error(query, { p: '2026-Q2' }, { token: nationalToken })).extensions?.code).toBe('NOT_FOUND');
    expect((await app.gql.error(query, { p: '2026' }, { token: nationalToken })).extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'period',
    });
  });

  it('costs the same SQL statements for a month, a quarter or a year, whatever the amount of data', async () => {
    const statementsOf = async (period: string): Promise<number> =>
      (
        await countStatements(app.orm, () =>
          app.gql.data(REPORT, { tf: taskForceId, p: period }, { token: member.token }),
        )
      ).statements;
    const periods = ['2026-06', '2026-Q2', '2026'];
    await statementsOf('2026-Q2'); // warm: the session's first request reads more
    const before = [];
    for (const p of periods) before.push(await statementsOf(p));
    const em = app.em();
    const f = new ReportsFactory(
      em,
      await em.findOneOrFail(TaskForce, { id: taskForceId }),
      await em.findOneOrFail(Member, { id: member.member.id }),
    );
    for (let i = 0; i < 20; i++) {
      const m = f.meeting(`2026-0${1 + (i % 6)}-1${i % 10}T07:00:00Z`, MeetingStatus.ENDED);
      f.decision(m);
      f.item({ createdAt: `2026-0${1 + (i % 6)}-1${i % 10}T09:00:00Z`, dueOn: '2026-06-20' });
      f.caseSummary(`S-${i}`, [[`2026-0${1 + (i % 6)}-05T09:00:00Z`, CaseStage.IDENTIFICATION, 3, 1, 1]]);
    }
    await em.flush();
    const after = [];
    for (const p of periods) after.push(await statementsOf(p));
    // One aggregate statement per indicator group (15, libs/reports/src/reports.queries.ts) and the task force.
    expect({ before, after }).toEqual({ before: [16, 16, 16], after: [16, 16, 16] });
  });
});
