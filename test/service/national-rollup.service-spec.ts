import { type Actor, AgencyKind, TaskForceRole } from '@hub/access';
import { ActionItemStatus } from '@hub/action-items';
import { CaseStage } from '@hub/case-summaries';
import { type Agency, Member, MembersService } from '@hub/identity';
import { MeetingStatus } from '@hub/meetings';
import {
  INDICATOR,
  type NationalReport,
  type NationalTable,
  ReportExportsService,
  ReportSnapshot,
  ReportsService,
  SUBSETS,
} from '@hub/reports';
import { type TaskForce } from '@hub/task-forces';
import { IdentityFactory } from '../factories/identity.factory';
import { ReportsFactory } from '../factories/reports.factory';
import { pdfText } from '../utils/pdf-text';
import { type ServiceApp, startServiceApp } from '../utils/service-app';

/** A small deterministic generator, so the scenario is the same on every run and both dialects. */
function random(seed: number) {
  let s = seed;
  return (n: number) => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return (s >>> 16) % n; // the high bits: the low bits of this generator repeat every few draws
  };
}

/**
 * The disclosure test: the national roll-up of five task forces over two closed quarters, with counts
 * drawn small on purpose. For every table, its totals and the previous quarter, no value from 1 to 4
 * is shown or can be derived, checked here independently of the suppression code: from the true
 * counts (the snapshots), by the lines' sums, by solving the tables' equations, and by subtracting
 * the previous quarter; and across tables, where one indicator counts a subset of another's (NE's
 * meetings scheduled − held, victims − victims in proceedings), by solving all their equations together
 * with each difference as an unknown.
 */
describe('ReportsService: the national roll-up', () => {
  let app: ServiceApp;
  let reports: ReportsService;
  let national: Actor;
  let admin: Actor;
  let coordinator: Actor;
  let q1: NationalReport;
  let q2: NationalReport;
  const forces: TaskForce[] = [];

  beforeAll(async () => {
    app = await startServiceApp();
    reports = app.get(ReportsService);
    const identity = new IdentityFactory(app);
    const adminMember = await identity.member({ admin: true });
    admin = await app.actor(adminMember);
    const programme = await identity.member({ kind: AgencyKind.INTERNATIONAL_ORGANISATION });
    await app.get(MembersService).setNationalProgramme(admin, programme.id, true);
    national = await app.actor(programme);
    const em = app.em();
    const rnd = random(17);
    const kinds = [AgencyKind.POLICE, AgencyKind.VICTIM_SUPPORT_NGO, AgencyKind.PROSECUTION];
    for (const code of ['NA', 'NB', 'NC', 'ND', 'NE']) {
      const tf = await identity.taskForce(code);
      forces.push(tf);
      const agencies: Agency[] = [];
      const people: Member[] = [];
      for (const kind of kinds) {
        const agency = await identity.agency(kind);
        agencies.push(agency);
        const m = await identity.member({ agency });
        await identity.membership(tf, m, kind === AgencyKind.POLICE ? TaskForceRole.COORDINATOR : TaskForceRole.MEMBER);
        people.push(m);
      }
      if (code === 'NA') coordinator = await app.actor(people[0]);
      const f = new ReportsFactory(em, tf, people[0]);
      if (code === 'NE') {
        // Large counts whose differences are small, the same in both quarters (so rule 2 hides
        // nothing): 10 meetings scheduled, 8 held, 7 of them with the NGO (scheduled − held = 2,
        // held − NGO's = 1); 6 decisions, 5 followed up; 9 victims at the second stage, 6 of them in
        // proceedings and 5 minors (differences 3 and 4), 15 victims in all, 12 in proceedings.
        for (const month of ['02', '05']) {
          for (let i = 0; i < 10; i++) {
            const held = i < 8;
            const m = f.meeting(
              `2026-${month}-${String(3 + i).padStart(2, '0')}T08:00:00Z`,
              held ? MeetingStatus.ENDED : MeetingStatus.CANCELLED,
              held ? (i < 7 ? people : [people[0], people[2]]) : [],
            );
            if (i < 6)
              f.item({
                createdAt: `2026-${month}-${String(3 + i).padStart(2, '0')}T10:00:00Z`,
                dueOn: `2026-${month}-25`,
                status: i < 5 ? ActionItemStatus.DONE : ActionItemStatus.OPEN,
                completedAt: i < 5 ? `2026-${month}-20T09:00:00Z` : undefined,
                agency: agencies[0],
                decision: f.decision(m),
              });
          }
        }
        const [first, second] = Object.values(CaseStage);
        f.caseSummary('NE-1', [['2026-01-05T09:00:00Z', first, 6, 0, 6]]);
        f.caseSummary('NE-2', [['2026-01-05T09:00:00Z', second, 9, 5, 6]]);
        continue;
      }
      const scale = code === 'NA' ? 12 : code === 'NB' ? 6 : 3;
      for (const [month, quarterEnd] of [
        ['01', '2026-03-31'],
        ['02', '2026-03-31'],
        ['04', '2026-06-30'],
        ['05', '2026-06-30'],
      ] as const) {
        for (let i = 0, n = rnd(scale); i < n; i++) {
          const day = String(1 + rnd(27)).padStart(2, '0');
          const held = rnd(4) > 0;
          const attendees = people.filter(() => rnd(2) === 0);
          const m = f.meeting(
            `2026-${month}-${day}T08:00:00Z`,
            held ? MeetingStatus.ENDED : MeetingStatus.CANCELLED,
            held ? attendees : [],
          );
          const decision = held && rnd(2) ? f.decision(m) : undefined;
          for (let j = 0, k = rnd(4); j < k; j++) {
            const done = rnd(3);
            f.item({
              createdAt: `2026-${month}-${day}T10:00:00Z`,
              dueOn: `2026-${month}-${String(Math.min(28, +day + rnd(10))).padStart(2, '0')}`,
              status: done ? ActionItemStatus.DONE : ActionItemStatus.OPEN,
              completedAt: done ? `${quarterEnd}T0${rnd(9)}:00:00Z` : undefined,
              agency: agencies[rnd(3)],
              decision: j === 0 ? decision : undefined,
            });
          }
        }
        const stages = Object.values(CaseStage);
        for (let i = 0, n = rnd(scale); i < n; i++) {
          const victims = 1 + rnd(6);
          const s1 = stages[rnd(2)];
          const s2 = stages[Math.min(4, stages.indexOf(s1) + rnd(3))];
          f.caseSummary(`${code}-${month}-${i}`, [
            [`2026-${month}-02T09:00:00Z`, s1, victims, rnd(victims + 1), 0],
            [`2026-${month}-20T09:00:00Z`, s2, victims, rnd(victims + 1), rnd(victims + 1)],
          ]);
        }
      }
    }
    await em.flush();
    expect((await reports.closeQuarter(admin, '2026-Q1')).taken).toBe(5);
    expect((await reports.closeQuarter(null, '2026-Q2')).taken).toBe(5);
    q1 = await reports.nationalReport(national, '2026-Q1');
    q2 = await reports.nationalReport(national, '2026-Q2');
  });
  afterAll(() => app?.close());

  /** The true value of every cell, from the snapshots (what the roll-up hides). */
  async function truth(period: string, table: NationalTable): Promise<number[][]> {
    const snapshots = await app.em().find(ReportSnapshot, { period }, { populate: ['taskForce'] });
    const def = INDICATOR[table.indicator as keyof typeof INDICATOR];
    const keys = def.additive && def.breakdown !== 'none' ? table.columns.slice(0, -1) : table.columns;
    const grid = table.rows.map((row) =>
      table.columns.map((column) => {
        const of = (code: string) => {
          const counts = snapshots.find((s) => s.taskForce.code === code)?.counts[table.indicator] ?? {};
          return column === 'TOTAL' ? keys.reduce((sum, k) => sum + (counts[k] ?? 0), 0) : (counts[column] ?? 0);
        };
        return row.label === 'TOTAL' ? table.rows.slice(0, -1).reduce((sum, r) => sum + of(r.label), 0) : of(row.label);
      }),
    );
    return grid;
  }

  /** Every line: cells [row, col] that add up to a total cell. */
  function lines(table: NationalTable): { cells: [number, number][]; total: [number, number] }[] {
    const def = INDICATOR[table.indicator as keyof typeof INDICATOR];
    const across = def.additive && def.breakdown !== 'none';
    const last = table.rows.length - 1;
    const keyCount = across ? table.columns.length - 1 : table.columns.length;
    const out: { cells: [number, number][]; total: [number, number] }[] = [];
    for (let c = 0; c < (across ? keyCount + 1 : keyCount); c++)
      out.push({ cells: Array.from({ length: last }, (_, r) => [r, c]), total: [last, c] });
    if (across)
      for (let r = 0; r <= last; r++)
        out.push({ cells: Array.from({ length: keyCount }, (_, c) => [r, c]), total: [r, keyCount] });
    return out;
  }

  /** Whether the hidden cell `target` is fixed by the lines' equations (Gaussian elimination over the hidden cells). */
  function determined(table: NationalTable, target: string): boolean {
    const hidden: string[] = [];
    table.rows.forEach((row, r) => row.values.forEach((v, c) => v === null && hidden.push(`${r},${c}`)));
    const at = (cell: [number, number]) => hidden.indexOf(cell.join(','));
    const matrix = lines(table)
      .map((line) => {
        const eq = hidden.map(() => 0);
        for (const cell of line.cells) if (at(cell) >= 0) eq[at(cell)] += 1;
        if (at(line.total) >= 0) eq[at(line.total)] -= 1;
        return eq;
      })
      .filter((eq) => eq.some((x) => x !== 0));
    const rank = (rows: number[][]) => {
      const m = rows.map((r) => [...r]);
      let rk = 0;
      for (let col = 0; col < hidden.length; col++) {
        const p = m.findIndex((r, i) => i >= rk && Math.abs(r[col]) > 1e-9);
        if (p < 0) continue;
        [m[rk], m[p]] = [m[p], m[rk]];
        for (let i = 0; i < m.length; i++)
          if (i !== rk && Math.abs(m[i][col]) > 1e-9) {
            const f = m[i][col] / m[rk][col];
            m[i] = m[i].map((x, j) => x - f * m[rk][j]);
          }
        rk++;
      }
      return rk;
    };
    return rank(matrix) === rank([...matrix, hidden.map((h) => (h === target ? 1 : 0))]);
  }

  const small = (v: number) => v >= 1 && v <= 4;

  it('lists every task force and every national indicator, for both quarters', () => {
    for (const report of [q1, q2]) {
      expect(report.taskForces).toEqual(['NA', 'NB', 'NC', 'ND', 'NE']);
      expect(report.tables.map((t) => t.indicator)).toEqual(
        Object.values(INDICATOR)
          .filter((d) => d.national)
          .map((d) => d.id),
      );
    }
    expect(q2.previousPeriod?.key).toBe('2026-Q1');
    expect(q1.previousPeriod).toBeNull();
  });

  it('suppresses something (the scenario has small counts), and shows the true value of every cell it shows', async () => {
    let hidden = 0;
    let shown = 0;
    for (const [period, report] of [['2026-Q1', q1] as const, ['2026-Q2', q2] as const])
      for (const table of report.tables) {
        const real = await truth(period, table);
        table.rows.forEach((row, r) =>
          row.values.forEach((v, c) => {
            if (v === null) hidden++;
            else {
              shown++;
              expect({ table: table.indicator, row: row.label, col: table.columns[c], v }).toEqual({
                table: table.indicator,
                row: row.label,
                col: table.columns[c],
                v: real[r][c],
              });
            }
          }),
        );
      }
    expect(hidden).toBeGreaterThan(20);
    expect(shown).toBeGreaterThan(20);
  });

  it('shows no value from 1 to 4 in any table or total, in either quarter', () => {
    const shown: string[] = [];
    for (const report of [q1, q2])
      for (const table of report.tables)
        for (const row of table.rows)
          row.values.forEach((v, c) => {
            if (v !== null && small(v))
              shown.push(`${report.period.key} ${table.indicator} ${row.label}/${table.columns[c]} = ${v}`);
          });
    expect(shown).toEqual([]);
  });

  it('lets no line give a hidden cell or a small sum away: two or more hidden, and their sum not 1 to 4 when the total shows', async () => {
    const exposed: string[] = [];
    for (const report of [q1, q2])
      for (const table of report.tables) {
        const real = await truth(report.period.key, table);
        for (const line of lines(table)) {
          const isHidden = ([r, c]: [number, number]) => table.rows[r].values[c] === null;
          const hiddenCells = line.cells.filter(isHidden);
          const count = hiddenCells.length + (isHidden(line.total) ? 1 : 0);
          const where = `${report.period.key} ${table.indicator} line of ${line.total.join(',')}`;
          if (count === 1) exposed.push(`${where}: one hidden cell`);
          const sum = hiddenCells.reduce((s, [r, c]) => s + real[r][c], 0);
          if (!isHidden(line.total) && small(sum)) exposed.push(`${where}: hidden cells add up to ${sum}`);
        }
      }
    expect(exposed).toEqual([]);
  });

  it('lets no hidden cell be solved from all the sums together', () => {
    const solved: string[] = [];
    for (const report of [q1, q2])
      for (const table of report.tables)
        table.rows.forEach((row, r) =>
          row.values.forEach((v, c) => {
            if (v === null && determined(table, `${r},${c}`))
              solved.push(`${report.period.key} ${table.indicator} ${row.label}/${table.columns[c]}`);
          }),
        );
    expect(solved).toEqual([]);
  });

  it('lets no shown cell be derived by subtracting the previous quarter', () => {
    const derived: string[] = [];
    for (const table of q2.tables) {
      const before = q1.tables.find((t) => t.indicator === table.indicator);
      table.rows.forEach((row) =>
        row.values.forEach((v, c) => {
          const prev = before?.rows.find((r) => r.label === row.label)?.values[
            before.columns.indexOf(table.columns[c])
          ];
          if (v !== null && typeof prev === 'number' && small(Math.abs(v - prev)))
            derived.push(`${table.indicator} ${row.label}/${table.columns[c]}: ${prev} then ${v}`);
        }),
      );
    }
    expect(derived).toEqual([]);
  });

  /** The subset pairs, written out here rather than taken from the code: whole − part counts something. */
  const PAIRS: [part: string, whole: string][] = [
    ['meetings.held', 'meetings.scheduled'],
    ['attendance.meetingsWithAgencyKind', 'meetings.held'],
    ['attendance.meetingsWithAgencyKind', 'meetings.scheduled'],
    ['decisions.followedUp', 'decisions.recorded'],
    ['victims.inProceedings', 'victims.total'],
    ['victims.minors', 'victims.total'],
  ];

  /**
   * Which unknowns of the equations (rows over `width` unknowns, constants left out) are fixed by them:
   * in reduced row echelon form, a pivot whose row has no free unknown.
   */
  function fixed(equations: number[][], width: number): boolean[] {
    const m = equations.map((r) => [...r]);
    const pivots: number[] = [];
    for (let col = 0, rk = 0; col < width && rk < m.length; col++) {
      const p = m.findIndex((r, i) => i >= rk && Math.abs(r[col]) > 1e-9);
      if (p < 0) continue;
      [m[rk], m[p]] = [m[p], m[rk]];
      const f0 = m[rk][col];
      m[rk] = m[rk].map((x) => x / f0);
      for (let i = 0; i < m.length; i++)
        if (i !== rk && Math.abs(m[i][col]) > 1e-9) {
          const f = m[i][col];
          m[i] = m[i].map((x, j) => x - f * m[rk][j]);
        }
      pivots.push(col);
      rk++;
    }
    const out = Array.from({ length: width }, () => false);
    const isPivot = new Set(pivots);
    pivots.forEach((col, row) => {
      out[col] = m[row].every((x, j) => j === col || isPivot.has(j) || Math.abs(x) < 1e-9);
    });
    return out;
  }

  /**
   * Everything a reader of one quarter's roll-up can solve, across the tables a subset pair joins: the
   * hidden cells and every difference whole − part are the unknowns; every line of every table, and
   * part + difference = whole for every cell of every pair, are the equations. Returns each
   * difference with its true value and whether it is fixed, and the hidden cells that are fixed.
   */
  async function acrossTables(report: NationalReport) {
    const tables = new Map(report.tables.map((t) => [t.indicator, t]));
    const real = new Map<string, number[][]>();
    for (const t of report.tables) real.set(t.indicator, await truth(report.period.key, t));
    const unknowns: string[] = [];
    const at = new Map<string, number>();
    const unknown = (name: string) => {
      if (!at.has(name)) at.set(name, unknowns.push(name) - 1);
      return at.get(name)!;
    };
    const terms: [name: string, factor: number][][] = [];
    const cellOf = (t: NationalTable, r: number, c: number) =>
      t.rows[r].values[c] === null ? `${t.indicator} ${t.rows[r].label}/${t.columns[c]}` : null;
    for (const t of report.tables)
      for (const line of lines(t)) {
        const eq: [string, number][] = [];
        for (const [r, c] of line.cells) if (cellOf(t, r, c)) eq.push([cellOf(t, r, c)!, 1]);
        if (cellOf(t, ...line.total)) eq.push([cellOf(t, ...line.total)!, -1]);
        terms.push(eq);
      }
    const differences: { name: string; value: number }[] = [];
    for (const [partId, wholeId] of PAIRS) {
      const [part, whole] = [tables.get(partId)!, tables.get(wholeId)!];
      part.rows.forEach((row, r) =>
        part.columns.forEach((column, c) => {
          const wc = whole.columns.length === 1 ? 0 : whole.columns.indexOf(column);
          const name = `${wholeId} − ${partId} ${row.label}/${column}`;
          differences.push({ name, value: real.get(wholeId)![r][wc] - real.get(partId)![r][c] });
          const eq: [string, number][] = [[name, 1]];
          if (cellOf(part, r, c)) eq.push([cellOf(part, r, c)!, 1]);
          if (cellOf(whole, r, wc)) eq.push([cellOf(whole, r, wc)!, -1]);
          terms.push(eq);
        }),
      );
    }
    for (const eq of terms) eq.forEach(([name]) => unknown(name));
    const solved = fixed(
      terms.map((eq) => {
        const row = unknowns.map(() => 0);
        for (const [name, factor] of eq) row[at.get(name)!] += factor;
        return row;
      }),
      unknowns.length,
    );
    const isFixed = (name: string) => solved[at.get(name)!];
    return {
      differences: differences.map((d) => ({ ...d, fixed: isFixed(d.name) })),
      hiddenFixed: unknowns.filter((u, i) => solved[i] && !differences.some((d) => d.name === u)),
    };
  }

  it('knows every subset pair among the national indicators', () => {
    expect(SUBSETS.map((s) => [s.part, s.whole])).toEqual(PAIRS);
  });

  it('lets no difference of a subset pair from 1 to 4 be derived, nor any hidden cell, from all the tables together', async () => {
    const derived: string[] = [];
    for (const report of [q1, q2]) {
      const { differences, hiddenFixed } = await acrossTables(report);
      for (const d of differences)
        if (d.fixed && small(d.value)) derived.push(`${report.period.key} ${d.name} = ${d.value}`);
      for (const cell of hiddenFixed) derived.push(`${report.period.key} ${cell} solved`);
    }
    expect(derived).toEqual([]);
  });

  it('seeds the differences it protects: NE has scheduled − held, victims − in proceedings and their like from 1 to 4', async () => {
    for (const report of [q1, q2]) {
      const { differences } = await acrossTables(report);
      const ne = Object.fromEntries(differences.filter((d) => d.name.includes(' NE/')).map((d) => [d.name, d.value]));
      expect(ne['meetings.scheduled − meetings.held NE/ALL']).toBe(2);
      expect(ne['victims.total − victims.inProceedings NE/TOTAL']).toBe(3);
      expect(ne['decisions.recorded − decisions.followedUp NE/ALL']).toBe(1);
      expect(ne['meetings.held − attendance.meetingsWithAgencyKind NE/VICTIM_SUPPORT_NGO']).toBe(1);
    }
  });

  it('lets no difference of a subset pair be derived 1 to 4 away from the previous quarter', async () => {
    const before = new Map((await acrossTables(q1)).differences.map((d) => [d.name, d]));
    const derived: string[] = [];
    for (const d of (await acrossTables(q2)).differences) {
      const prev = before.get(d.name);
      if (d.fixed && prev?.fixed && small(Math.abs(d.value - prev.value)))
        derived.push(`${d.name}: ${prev.value} then ${d.value}`);
    }
    expect(derived).toEqual([]);
  });

  it('is computed from the snapshots: a change after the close moves no figure, and closing again takes nothing', async () => {
    const em = app.em();
    const f = new ReportsFactory(em, forces[0], await em.findOneOrFail(Member, { id: coordinator.memberId }));
    for (let i = 0; i < 7; i++) f.meeting('2026-05-03T08:00:00Z', MeetingStatus.ENDED);
    await em.flush();
    expect((await reports.closeQuarter(admin, '2026-Q2')).taken).toBe(0);
    expect(await reports.nationalReport(national, '2026-Q2')).toEqual(q2);
  });

  it('writes the roll-up as a PDF in Romanian, every suppressed cell as <5 and nothing else added', async () => {
    const file = await app.get(ReportExportsService).national(q2, 'pdf', 'ro');
    expect(file.filename).toBe('national-2026-Q2.pdf');
    const text = (await pdfText(file.body)).join('\n');
    expect(text).toContain('Situația națională pentru 2026-Q2 (de la 2026-04-01 până la 2026-06-30)');
    expect(text).toContain('Trimestrul anterior: 2026-Q1.');
    for (const name of [
      'Ședințe programate',
      'Victime care participă la proceduri',
      'Grupul de lucru',
      'Urmărire penală',
    ])
      expect(text).toContain(name);
    const hidden = q2.tables.reduce(
      (n, t) => n + t.rows.reduce((m, r) => m + r.values.filter((v) => v === null).length, 0),
      0,
    );
    // Each hidden cell once, and the note that explains the mark.
    expect(text.split('<5').length - 1).toBe(hidden + 1);
    expect(text).not.toContain('Meetings scheduled');
  });

  it('still reads a quarter closed under an older indicator set, leaving out the indicators it had no count for', async () => {
    const em = app.em();
    const added = Object.values(INDICATOR).filter((d) => d.national && (d.since ?? 1) > 1);
    expect(added.map((d) => d.id)).toEqual([
      'referrals.answeredInTime',
      'referrals.overridden',
      'consents.withdrawn',
      'hearings.checklistComplete',
    ]);
    // Set version 1 had no referral, consent or hearing indicator: its snapshots have no such count.
    for (const s of await em.find(ReportSnapshot, { period: '2026-Q1' }, { populate: ['taskForce'] })) {
      const counts = { ...s.counts };
      for (const d of added) delete counts[d.id];
      em.create(ReportSnapshot, { taskForce: s.taskForce, period: '2025-Q2', indicatorsVersion: 1, counts });
    }
    await em.flush();
    const old = await reports.nationalReport(national, '2025-Q2');
    expect(old.tables.map((t) => t.indicator)).toEqual(
      q1.tables.map((t) => t.indicator).filter((id) => !added.some((d) => d.id === id)),
    );
    // The same counts as 2026-Q1, with no previous quarter in either: the same suppression.
    expect(old.tables).toEqual(q1.tables.filter((t) => !added.some((d) => d.id === t.indicator)));
    expect(await reports.nationalReport(national, '2026-Q2')).toEqual(q2);
  });

  it('is for the national programme role only, by closed quarter only', async () => {
    await expect(reports.nationalReport(coordinator, '2026-Q2')).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(reports.nationalReport(admin, '2026-Q2')).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(reports.nationalReport(national, '2026-Q3')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(reports.nationalReport(national, '2026-05')).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
    await expect(reports.closeQuarter(coordinator, '2026-Q1')).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(reports.closeQuarter(admin, '2099-Q1')).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
  });
});
