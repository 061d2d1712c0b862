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

/** Whether hidden cell `target` is solved by the lines' equations (x: the hidden cells). */
export function solvable(lines: { cells: string[]; total: string }[], hidden: Set<string>, target: string): boolean {
  const unknowns = [...hidden];
  const index = new Map(unknowns.map((u, i) => [u, i]));
  const equations: number[][] = [];
  for (const line of lines) {
    const row = unknowns.map(() => 0);
    let any = false;
    for (const cell of line.cells)
      if (index.has(cell)) {
        row[index.get(cell)!] += 1;
        any = true;
      }
    if (index.has(line.total)) {
      row[index.get(line.total)!] -= 1;
      any = true;
    }
    if (any) equations.push(row);
  }
  const rank = (m: number[][]) => {
    const a = m.map((r) => [...r]);
    let rk = 0;
    for (let col = 0; col < unknowns.length && rk < a.length; col++) {
      let pivot = -1;
      for (let i = rk; i < a.length; i++) if (Math.abs(a[i][col]) > 1e-9) pivot = pivot < 0 ? i : pivot;
      if (pivot < 0) continue;
      [a[rk], a[pivot]] = [a[pivot], a[rk]];
      for (let i = 0; i < a.length; i++) {
        if (i === rk || Math.abs(a[i][col]) < 1e-9) continue;
        const f = a[i][col] / a[rk][col];
        for (let j = col; j < unknowns.length; j++) a[i][j] -= f * a[rk][j];
      }
      rk++;
    }
    return rk;
  };
  const unit = unknowns.map((u) => (u === target ? 1 : 0));
  return rank(equations) === rank([...equations, unit]);
}

const id = (r: number, c: number) => `${r}:${c}`;

/** Suppresses in place: returns the hidden cells as "row:col". */
function suppress(grid: Grid, previous?: NationalTable): Set<string> {
  const hidden = new Set<string>();
  const prevValue = (r: number, c: number): number | null | undefined => {
    const row = previous?.rows.find((x) => x.label === grid.rows[r]);
    const col = previous?.columns.indexOf(grid.columns[c]) ?? -1;
    return row && col >= 0 ? row.values[col] : undefined;
  };
  grid.value.forEach((row, r) =>
    row.forEach((v, c) => {
      const p = prevValue(r, c);
      if (small(v) || (typeof p === 'number' && small(Math.abs(v - p)))) hidden.add(id(r, c));
    }),
  );
  const lines = grid.lines.map((l) => ({ cells: l.members.map(([r, c]) => id(r, c)), total: id(...l.total) }));
  const valueOf = (cell: string) => {
    const [r, c] = cell.split(':').map(Number);
    return grid.value[r][c];
  };
  /** Hides the smallest shown cell of the line (a non-zero one first), else its total. */
  const hideOneMore = (line: (typeof lines)[number]): boolean => {
    const shown = line.cells.filter((cell) => !hidden.has(cell));
    shown.sort((a, b) => (valueOf(a) === 0 ? 1 : 0) - (valueOf(b) === 0 ? 1 : 0) || valueOf(a) - valueOf(b));
    const pick = shown[0] ?? (hidden.has(line.total) ? undefined : line.total);
    if (!pick) return false;
    hidden.add(pick);
    return true;
  };
  for (let changed = true; changed;) {
    changed = false;
    for (const line of lines) {
      const members = line.cells.filter((cell) => hidden.has(cell));
      const all = members.length + (hidden.has(line.total) ? 1 : 0);
      if (!all) continue;
      const sum = members.reduce((s, cell) => s + valueOf(cell), 0);
      const exposed = all === 1 || (!hidden.has(line.total) && small(sum));
      if (exposed && hideOneMore(line)) changed = true;
    }
    if (changed) continue;
    for (const cell of [...hidden]) {
      if (!solvable(lines, hidden, cell)) continue;
      const line = lines.find((l) => (l.cells.includes(cell) || l.total === cell) && hideOneMore(l));
      if (line) {
        changed = true;
        break;
      }
    }
  }
  return hidden;
}

/** One indicator's national table: task forces side by side and in total, small counts suppressed. */
export function nationalTable(
  def: IndicatorDefinition,
  codes: string[],
  keys: string[],
  counts: Counts,
  previous?: NationalTable,
): NationalTable {
  const grid = gridOf(def, codes, keys, counts);
  const hidden = suppress(grid, previous);
  return {
    indicator: def.id,
    version: def.version,
    name: def.name,
    columns: grid.columns,
    rows: grid.rows.map((label, r) => ({
      label,
      values: grid.value[r].map((v, c) => (hidden.has(id(r, c)) ? null : v)),
    })),
  };
}

/** The lines of a published table, for checking it (tests) with `solvable`. */
export function linesOf(table: NationalTable, additiveAcrossColumns: boolean): { cells: string[]; total: string }[] {
  const last = table.rows.length - 1;
  const keyCount = additiveAcrossColumns ? table.columns.length - 1 : table.columns.length;
  const lines: { cells: string[]; total: string }[] = [];
  for (let c = 0; c < keyCount; c++)
    lines.push({ cells: table.rows.slice(0, last).map((_, r) => id(r, c)), total: id(last, c) });
  if (additiveAcrossColumns) {
    for (let r = 0; r <= last; r++)
      lines.push({ cells: Array.from({ length: keyCount }, (_, c) => id(r, c)), total: id(r, keyCount) });
    lines.push({ cells: table.rows.slice(0, last).map((_, r) => id(r, keyCount)), total: id(last, keyCount) });
  }
  return lines;
}
