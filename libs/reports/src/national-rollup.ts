import { type IndicatorDefinition } from './indicators';

/**
 * The national roll-up's tables and their small-count suppression. Pure functions: the service
 * feeds them closed-period snapshots.
 *
 * Rules (docs/reports.md, "Disclosure"):
 * 1. A count from 1 to 4 is never shown (primary suppression); 0 is shown.
 * 2. A count whose difference from the same cell published for the previous quarter is 1 to 4 is
 *    not shown either: the two quarters side by side would give it away.
 * 3. Every line (a row or a column with its total) that hides a cell hides at least two, and when
 *    its total is shown the hidden cells add up to 5 or more: no hidden cell, nor their sum, is
 *    1 to 4 (complementary suppression, choosing the smallest cells so as to hide least).
 * 4. No hidden cell can be solved from all the lines together (a rank test over the table's sums);
 *    where one could, another cell of its line is hidden, and rule 3 is checked again.
 * 5. Where one indicator is a subset of another (`SUBSETS`: held ⊂ scheduled, victims in proceedings
 *    ⊂ victims, …), their difference in a cell is a count too: when it is 1 to 4 (or 1 to 4 away from
 *    the previous quarter's), it is a hidden cell of one system with both tables, under rules 3 and 4.
 */

export const TOTAL = 'TOTAL';

export interface NationalTable {
  indicator: string;
  version: number;
  name: string;
  /** Breakdown keys, then TOTAL when the rows add up across them. */
  columns: string[];
  /** Task-force codes, then TOTAL. A null value is suppressed. */
  rows: { label: string; values: (number | null)[] }[];
}

/** Task-force code → breakdown key → count. */
export type Counts = Map<string, Record<string, number>>;

interface Grid {
  rows: string[];
  columns: string[];
  value: number[][];
  /** Lines: sets of [row, col] members that add up to the total cell. */
  lines: { members: [number, number][]; total: [number, number] }[];
}

function gridOf(def: IndicatorDefinition, codes: string[], keys: string[], counts: Counts): Grid {
  const rowTotals = def.additive && def.breakdown !== 'none';
  const columns = rowTotals ? [...keys, TOTAL] : keys;
  const rows = [...codes, TOTAL];
  const value = rows.map(() => columns.map(() => 0));
  codes.forEach((code, r) =>
    keys.forEach((key, c) => {
      value[r][c] = counts.get(code)?.[key] ?? 0;
    }),
  );
  const last = rows.length - 1;
  const lines: Grid['lines'] = [];
  for (let c = 0; c < keys.length; c++) {
    value[last][c] = codes.reduce((sum, _, r) => sum + value[r][c], 0);
    lines.push({ members: codes.map((_, r) => [r, c]), total: [last, c] });
  }
  if (rowTotals) {
    const t = keys.length;
    for (let r = 0; r < rows.length; r++) {
      value[r][t] = keys.reduce((sum, _, c) => sum + value[r][c], 0);
      lines.push({ members: keys.map((_, c) => [r, c]), total: [r, t] });
    }
    lines.push({ members: codes.map((_, r) => [r, t]), total: [last, t] });
  }
  return { rows, columns, value, lines };
}

const small = (v: number) => v >= 1 && v <= 4;

/** One table of a joint suppression: its grid, and the same table published for the previous quarter. */
interface Part {
  def: IndicatorDefinition;
  grid: Grid;
  previous?: NationalTable;
}

type Line = { cells: string[]; total: string };

/**
 * Suppresses a group of tables together: returns the hidden cells as "table:row:col". A difference
 * whole − part of two tables (an indicator and the one it is a subset of, `SUBSETS`) that is 1 to 4, or
 * 1 to 4 away from the same difference published for the previous quarter, is a hidden cell `d…` of
 * the same system: its line says part + d = whole, so rules 3 and 4 hide the part (the smaller) or
 * the whole where both show, then their lines' complementary cells, until no hidden cell nor
 * difference can be solved from all the tables' sums together.
 */
function suppress(parts: Part[], subsets: readonly { part: string; whole: string }[]): Set<string> {
  const hidden = new Set<string>();
  const values = new Map<string, number>();
  const lines: Line[] = [];
  const cell = (t: number, r: number, c: number) => `${t}:${r}:${c}`;
  const previousOf = (p: Part, r: number, c: number): number | null | undefined => {
    const row = p.previous?.rows.find((x) => x.label === p.grid.rows[r]);
    const col = p.previous?.columns.indexOf(p.grid.columns[c]) ?? -1;
    return row && col >= 0 ? row.values[col] : undefined;
  };
  parts.forEach((p, t) => {
    p.grid.value.forEach((row, r) =>
      row.forEach((v, c) => {
        values.set(cell(t, r, c), v);
        const prev = previousOf(p, r, c);
        if (small(v) || (typeof prev === 'number' && small(Math.abs(v - prev)))) hidden.add(cell(t, r, c));
      }),
    );
    for (const l of p.grid.lines)
      lines.push({ cells: l.members.map(([r, c]) => cell(t, r, c)), total: cell(t, ...l.total) });
  });
  // The differences, cell by cell: the part's key in the whole, or ALL when the whole has no breakdown.
  let differences = 0;
  for (const { part, whole } of subsets) {
    const pt = parts.findIndex((p) => p.def.id === part);
    const wt = parts.findIndex((p) => p.def.id === whole);
    if (pt < 0 || wt < 0) continue;
    const [p, w] = [parts[pt], parts[wt]];
    p.grid.rows.forEach((label, r) => {
      const wr = w.grid.rows.indexOf(label);
      p.grid.columns.forEach((key, c) => {
        const wc = w.def.breakdown === 'none' ? 0 : w.grid.columns.indexOf(key);
        if (wr < 0 || wc < 0) return;
        const d = w.grid.value[wr][wc] - p.grid.value[r][c];
        const [pp, pw] = [previousOf(p, r, c), previousOf(w, wr, wc)];
        const before = typeof pp === 'number' && typeof pw === 'number' ? pw - pp : undefined;
        if (!small(d) && !(before !== undefined && small(Math.abs(d - before)))) return;
        const name = `d${differences++}`;
        values.set(name, d);
        hidden.add(name);
        lines.push({ cells: [cell(pt, r, c), name], total: cell(wt, wr, wc) });
      });
    });
  }
  const valueOf = (c: string) => values.get(c)!;
  /** Hides the smallest shown cell of the line (a non-zero one first), else its total. */
  const hideOneMore = (line: Line): boolean => {
    const shown = line.cells.filter((c) => !hidden.has(c));
    shown.sort((a, b) => (valueOf(a) === 0 ? 1 : 0) - (valueOf(b) === 0 ? 1 : 0) || valueOf(a) - valueOf(b));
    const pick = shown[0] ?? (hidden.has(line.total) ? undefined : line.total);
    if (!pick) return false;
    hidden.add(pick);
    return true;
  };
  const within = (c: string) => lines.filter((l) => l.cells.includes(c) || l.total === c);
  for (let changed = true; changed;) {
    changed = false;
    for (const line of lines) {
      const members = line.cells.filter((c) => hidden.has(c));
      const all = members.length + (hidden.has(line.total) ? 1 : 0);
      if (!all) continue;
      const sum = members.reduce((s, c) => s + valueOf(c), 0);
      const exposed = all === 1 || (!hidden.has(line.total) && small(sum));
      if (exposed && hideOneMore(line)) changed = true;
    }
    if (changed) continue;
    const fixed = fixedCells(lines, hidden);
    for (const target of [...hidden]) {
      if (!fixed.has(target)) continue;
      // A line of the cell, else a line of one of its line-mates: the first that can hide one more.
      const own = within(target);
      const mates = own.flatMap((l) => [...l.cells, l.total]).flatMap(within);
      if ([...own, ...mates].some(hideOneMore)) {
        changed = true;
        break;
      }
    }
  }
  return hidden;
}

/**
 * The hidden cells the lines' equations fix, all at once: in reduced row echelon form, an unknown is fixed when it is a pivot whose row has no free unknown.
 */
function fixedCells(lines: Line[], hidden: Set<string>): Set<string> {
  const unknowns = [...hidden];
  const index = new Map(unknowns.map((u, i) => [u, i]));
  const a: number[][] = [];
  for (const line of lines) {
    const row = unknowns.map(() => 0);
    let any = false;
    for (const c of line.cells)
      if (index.has(c)) {
        row[index.get(c)!] += 1;
        any = true;
      }
    if (index.has(line.total)) {
      row[index.get(line.total)!] -= 1;
      any = true;
    }
    if (any) a.push(row);
  }
  const pivots: number[] = [];
  for (let col = 0, rk = 0; col < unknowns.length && rk < a.length; col++) {
    let pivot = -1;
    for (let i = rk; i < a.length && pivot < 0; i++) if (Math.abs(a[i][col]) > 1e-9) pivot = i;
    if (pivot < 0) continue;
    [a[rk], a[pivot]] = [a[pivot], a[rk]];
    const p = a[rk][col];
    for (let j = col; j < unknowns.length; j++) a[rk][j] /= p;
    for (let i = 0; i < a.length; i++) {
      if (i === rk || Math.abs(a[i][col]) < 1e-9) continue;
      const f = a[i][col];
      for (let j = col; j < unknowns.length; j++) a[i][j] -= f * a[rk][j];
    }
    pivots.push(col);
    rk++;
  }
  const isPivot = new Set(pivots);
  const fixed = new Set<string>();
  pivots.forEach((col, r) => {
    if (a[r].every((x, j) => isPivot.has(j) || Math.abs(x) < 1e-9)) fixed.add(unknowns[col]);
  });
  return fixed;
}

/** One indicator's national table: task forces side by side and in total, small counts suppressed. */
export function nationalTable(
  def: IndicatorDefinition,
  codes: string[],
  keys: string[],
  counts: Counts,
  previous?: NationalTable,
): NationalTable {
  return nationalTables(codes, [{ def, keys, counts, previous }], [])[0];
}

/**
 * Several indicators' national tables, suppressed together where one is a subset of another
 * (`subsets`, from `SUBSETS`): the tables joined by a subset relation are one linear system, the
 * others are suppressed alone. In the order given.
 */
export function nationalTables(
  codes: string[],
  tables: { def: IndicatorDefinition; keys: string[]; counts: Counts; previous?: NationalTable }[],
  subsets: readonly { part: string; whole: string }[],
): NationalTable[] {
  // Groups of tables joined by a subset relation (union-find over the given tables).
  const group = tables.map((_, i) => i);
  const root = (i: number): number => (group[i] === i ? i : (group[i] = root(group[i])));
  for (const { part, whole } of subsets) {
    const [a, b] = [tables.findIndex((t) => t.def.id === part), tables.findIndex((t) => t.def.id === whole)];
    if (a >= 0 && b >= 0) group[root(a)] = root(b);
  }
  const out: NationalTable[] = new Array(tables.length);
  const done = new Set<number>();
  tables.forEach((_, i) => {
    const g = root(i);
    if (done.has(g)) return;
    done.add(g);
    const members = tables.map((_, j) => j).filter((j) => root(j) === g);
    const parts: Part[] = members.map((j) => ({
      def: tables[j].def,
      grid: gridOf(tables[j].def, codes, tables[j].keys, tables[j].counts),
      previous: tables[j].previous,
    }));
    const hidden = suppress(parts, subsets);
    parts.forEach(({ def, grid }, t) => {
      out[members[t]] = {
        indicator: def.id,
        version: def.version,
        name: def.name,
        columns: grid.columns,
        rows: grid.rows.map((label, r) => ({
          label,
          values: grid.value[r].map((v, c) => (hidden.has(`${t}:${r}:${c}`) ? null : v)),
        })),
      };
    });
  });
  return out;
}
