import type { MinutesModel } from './minutes.service';

/** Text typed by people goes into Markdown as text: no accidental headings, links or table breaks. */
export function inline(text: string): string {
  return (
    text
      // Every line ending Markdown knows (and the Unicode separators) becomes a space: typed text stays on its line.
      .replace(/[\r\n\u2028\u2029]+/g, ' ')
      .replace(/([\\`*_{}[\]()<>#+!|~])/g, '\\$1')
      .trim()
  );
}

function table(columns: string[], rows: string[][]): string[] {
  const line = (cells: string[]) => `| ${cells.map(inline).join(' | ')} |`;
  return [line(columns), `| ${columns.map(() => '---').join(' | ')} |`, ...rows.map(line)];
}

/** The minutes as Markdown: every value (labels included) escaped as text. */
export function minutesMarkdown(model: MinutesModel): string {
  const lines: string[] = [`# ${inline(model.heading)}`, '', ...model.facts.map((f) => `- ${inline(f)}`), ''];
  lines.push(`## ${inline(model.attendance.title)}`, '');
  if (model.attendance.rows.length)
    lines.push(...table(model.attendance.columns, model.attendance.rows), '', inline(model.attendance.summary));
  else lines.push(inline(model.attendance.empty));
  lines.push('', `## ${inline(model.agenda.title)}`, '');
  if (!model.agenda.items.length) lines.push(inline(model.agenda.empty), '');
  for (const item of model.agenda.items) {
    lines.push(`### ${inline(item.heading)}`, '');
    if (item.details) lines.push(`_${inline(item.details)}_`, '');
    if (item.notes.length) lines.push(inline(item.notesTitle), '', ...item.notes.map((n) => `- ${inline(n)}`), '');
    if (item.decisions.length)
      lines.push(inline(item.decisionsTitle), '', ...item.decisions.map((d) => `- ${inline(d)}`), '');
    if (!item.notes.length && !item.decisions.length) lines.push(inline(item.empty), '');
  }
  lines.push(`## ${inline(model.actionItems.title)}`, '');
  if (model.actionItems.rows.length) lines.push(...table(model.actionItems.columns, model.actionItems.rows));
  else lines.push(inline(model.actionItems.empty));
  lines.push('', `_${inline(model.footer)}_`, '');
  return lines.join('\n');
}
