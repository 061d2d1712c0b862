export type Cell = string | number | null;

export interface Table {
  title: string;
  columns: string[];
  rows: Cell[][];
}

export interface ScenarioResult {
  id: string;
  title: string;
  tables: Table[];
  /** Targets from the issue, each with its measured figure and whether it was met. */
  /** met: null = reported only, or (with `unsettled`) the repeats straddle the goal. */
  targets: { target: string; measured: string; met: boolean | null; unsettled?: boolean }[];
  /** What the figures are bound by, and anything to read them with. */
  notes: string[];
  /** Raw figures (every run) for the JSON. */
  raw: unknown;
  seconds: number;
  /** 1-minute load average when the scenario started and ended (other work on the machine shows here). */
  load?: [number, number];
  error?: string;
}

export function verdictText(t: ScenarioResult['targets'][number]): string {
  if (t.unsettled) return 'not settled (repeats straddle the goal)';
  return t.met === null ? 'n/a' : t.met ? 'yes' : '**no**';
}

export function fmt(value: Cell): string {
  if (value === null || value === undefined) return '–';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return '–';
    if (Math.abs(value) >= 100) return String(Math.round(value));
    if (Math.abs(value) >= 10) return value.toFixed(1);
    return value.toFixed(2);
  }
  return value;
}

export function ratio(a: number, b: number): number {
  return b ? Math.round((a / b) * 100) / 100 : NaN;
}

export function markdownTable(table: Table): string {
  const head = `| ${table.columns.join(' | ')} |`;
  const sep = `| ${table.columns.map((_, i) => (i === 0 ? '---' : '---:')).join(' | ')} |`;
  const rows = table.rows.map((row) => `| ${row.map(fmt).join(' | ')} |`);
  return [`**${table.title}**`, '', head, sep, ...rows].join('\n');
}

export function markdownScenario(result: ScenarioResult): string {
  const parts = [`### ${result.title}`, ''];
  if (result.error) parts.push(`**Failed:** ${result.error}`, '');
  for (const table of result.tables) parts.push(markdownTable(table), '');
  if (result.targets.length) {
    parts.push('| target | measured | met |', '| --- | --- | --- |');
    for (const t of result.targets) parts.push(`| ${t.target} | ${t.measured} | ${verdictText(t)} |`);
    parts.push('');
  }
  for (const note of result.notes) parts.push(`- ${note}`);
  parts.push(
    '',
    `_Scenario time: ${Math.round(result.seconds)} s; 1-minute load average at start / end: ${result.load ? result.load.map((l) => l.toFixed(1)).join(' / ') : '?'} (2 cores)._`,
    '',
  );
  return parts.join('\n');
}

/** A plain-text rendering for the terminal. */
export function textTable(table: Table): string {
  const cells = [table.columns, ...table.rows.map((r) => r.map(fmt))];
  const widths = table.columns.map((_, i) => Math.max(...cells.map((r) => String(r[i] ?? '').length)));
  const line = (r: Cell[]) =>
    r.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join('  ');
  return [
    table.title,
    line(table.columns),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...cells.slice(1).map(line),
  ].join('\n');
}
