import { Injectable } from '@nestjs/common';
import { Workbook } from 'exceljs';
import PDFDocument from 'pdfkit';
import { INDICATOR, INDICATORS, type IndicatorId } from './indicators';
import { type ReportLanguage, reportWords } from './report-language';
import { type NationalReport, type TaskForceReport } from './reports.service';

export type ExportFormat = 'csv' | 'xlsx' | 'pdf';

export interface ExportFile {
  filename: string;
  contentType: string;
  body: Buffer;
}

/** A table as a file shows it: a title, column headings, rows of cells. */
interface Sheet {
  id: string;
  title: string;
  columns: string[];
  rows: (string | number | null)[][];
}

// Bundled with the app (an npm package), not read from the system: ș and ț need a font that has them.
const FONT = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf');
const FONT_BOLD = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf');

function taskForceSheets(report: TaskForceReport): Sheet[] {
  return report.tables.map((t) => ({
    id: t.indicator,
    title: `${t.name} (${t.indicator} v${t.version}, ${t.unit})`,
    columns: [t.breakdown === 'none' ? '' : t.breakdown, ...report.periods.map((p) => p.key)],
    rows: t.rows.map((r) => [r.key, ...r.values]),
  }));
}

function nationalSheets(report: NationalReport): Sheet[] {
  return report.tables.map((t) => ({
    id: t.indicator,
    title: `${t.name} (${t.indicator} v${t.version}), ${report.period.key}`,
    columns: ['task force', ...t.columns],
    rows: t.rows.map((r) => [r.label, ...r.values.map((v) => v ?? 'suppressed')]),
  }));
}

/** RFC 4180: quote every field that needs it; a leading = + - @ is defused so a spreadsheet does not run it. */
function csvField(value: string | number | null): string {
  if (value === null) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function csv(sheets: Sheet[]): Buffer {
  const lines: string[] = [];
  for (const sheet of sheets) {
    lines.push(csvField(sheet.title));
    lines.push(sheet.columns.map(csvField).join(','));
    for (const row of sheet.rows) lines.push(row.map(csvField).join(','));
    lines.push('');
  }
  return Buffer.from(lines.join('\r\n'), 'utf8');
}

async function xlsx(title: string, sheets: Sheet[]): Promise<Buffer> {
  const book = new Workbook();
  book.creator = 'Task Force Hub';
  book.title = title;
  const glossary = book.addWorksheet('Glossary');
  glossary.addRow(['indicator', 'version', 'name', 'unit', 'breakdown', 'formula']).font = { bold: true };
  for (const d of INDICATORS) glossary.addRow([d.id, d.version, d.name, d.unit, d.breakdown, d.formula]);
  sheets.forEach((sheet, i) => {
    // Sheet names: at most 31 characters, none of : \ / ? * [ ]
    const ws = book.addWorksheet(`${i + 1} ${sheet.id}`.slice(0, 31).replace(/[:\\/?*[\]]/g, '_'));
    ws.addRow([sheet.title]).font = { bold: true };
    ws.addRow(sheet.columns).font = { bold: true };
    for (const row of sheet.rows) ws.addRow(row);
    ws.getColumn(1).width = 34;
  });
  return Buffer.from(await book.xlsx.writeBuffer());
}

const CHARTED: IndicatorId[] = [
  'meetings.held',
  'actionItems.created',
  'actionItems.closedOnTime',
  'actionItems.overdue',
  'cases.byStage',
  'victims.inProceedings',
];

/** The quarterly report a coordinator sends to the donor: trend charts, then every table, in the reader's language. */
function pdf(report: TaskForceReport, language: ReportLanguage): Promise<Buffer> {
  const w = reportWords(language);
  const doc = new PDFDocument({
    size: 'A4',
    margin: 48,
    lang: language === 'ro' ? 'ro-RO' : 'en-GB',
    info: { Title: w.documentTitle(report.period.key) },
  });
  doc.registerFont('body', FONT);
  doc.registerFont('bold', FONT_BOLD);
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  const width = doc.page.width - 96;

  doc.font('bold').fontSize(18).text(`${report.taskForce.code} — ${report.taskForce.name}`);
  doc
    .font('body')
    .fontSize(11)
    .text(w.reportFor(report.period.key, report.period.from, report.period.to));
  doc.text(w.versionAndTrend(report.indicatorsVersion, report.periods.map((p) => p.key).join(', ')));
  doc.moveDown();

  for (const id of CHARTED) {
    const table = report.tables.find((t) => t.indicator === id)!;
    const totals = report.periods.map((_, i) => table.rows.reduce((s, r) => s + (r.values[i] ?? 0), 0));
    if (doc.y > doc.page.height - 200) doc.addPage();
    doc
      .font('bold')
      .fontSize(12)
      .text(w.chart(w.name(table.indicator)));
    const top = doc.y + 4;
    const height = 90;
    const max = Math.max(1, ...totals);
    const slot = width / totals.length;
    doc
      .lineWidth(0.5)
      .moveTo(48, top + height)
      .lineTo(48 + width, top + height)
      .stroke('#555555');
    totals.forEach((v, i) => {
      const h = (v / max) * (height - 14);
      doc.rect(48 + i * slot + slot * 0.2, top + height - h, slot * 0.6, h).fill('#2f6f9f');
      doc.fillColor('#000000').font('body').fontSize(8);
      doc.text(w.value(v), 48 + i * slot, top + height - h - 11, { width: slot, align: 'center' });
      doc.text(report.periods[i].key, 48 + i * slot, top + height + 3, { width: slot, align: 'center' });
    });
    doc.x = 48;
    doc.y = top + height + 18;
  }

  doc.addPage();
  for (const table of report.tables) {
    if (doc.y > doc.page.height - 120) doc.addPage();
    doc
      .font('bold')
      .fontSize(11)
      .fillColor('#000000')
      .text(`${w.name(table.indicator)} (${w.units[table.unit]})`, 48);
    doc.font('body').fontSize(8).fillColor('#444444').text(w.formula(table.indicator), 48, doc.y, { width });
    doc.fillColor('#000000');
    const cols = ['', ...report.periods.map((p) => p.key)];
    const first = 170;
    const rest = (width - first) / (cols.length - 1);
    const line = (cells: string[], bold: boolean) => {
      const y = doc.y;
      doc.font(bold ? 'bold' : 'body').fontSize(8);
      cells.forEach((cell, i) =>
        doc.text(cell, i === 0 ? 48 : 48 + first + (i - 1) * rest, y, {
          width: i === 0 ? first : rest,
          lineBreak: false,
        }),
      );
      doc.y = y + 12;
    };
    line(cols, true);
    if (!table.rows.length) line([w.none], false);
    for (const row of table.rows) line([w.key(row.key, table.breakdown), ...row.values.map(w.value)], false);
    doc.moveDown(0.6);
  }
  doc.end();
  return done;
}

/**
 * The national roll-up as a PDF, in the reader's language: each table with its formula, suppressed
 * cells as "<5" (the same cells as in every other answer: the file adds nothing to them).
 */
function nationalPdf(report: NationalReport, language: ReportLanguage): Promise<Buffer> {
  const w = reportWords(language);
  const title = w.nationalTitle(report.period.key, report.period.from, report.period.to);
  const doc = new PDFDocument({
    size: 'A4',
    layout: 'landscape',
    margin: 40,
    lang: language === 'ro' ? 'ro-RO' : 'en-GB',
    info: { Title: title },
  });
  doc.registerFont('body', FONT);
  doc.registerFont('bold', FONT_BOLD);
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  const width = doc.page.width - 80;

  doc.font('bold').fontSize(16).text(title, 40);
  doc.font('body').fontSize(9).text(w.version(report.indicatorsVersion), 40);
  doc.text(w.previousQuarter(report.previousPeriod?.key ?? null), 40);
  doc.text(w.nationalNote, 40, doc.y, { width });
  doc.moveDown();
  // At most this many breakdown columns side by side; a wider table (transitions) continues below.
  const PER_LINE = 8;
  for (const table of report.tables) {
    const def = INDICATOR[table.indicator as IndicatorId];
    if (doc.y > doc.page.height - 140) doc.addPage();
    doc.font('bold').fontSize(11).fillColor('#000000').text(w.name(def.id), 40);
    doc.font('body').fontSize(8).fillColor('#444444').text(w.formula(def.id), 40, doc.y, { width });
    doc.fillColor('#000000');
    for (let from = 0; from < table.columns.length; from += PER_LINE) {
      const columns = table.columns.slice(from, from + PER_LINE);
      const first = 110;
      const rest = (width - first) / columns.length;
      const line = (cells: string[], bold: boolean) => {
        if (doc.y > doc.page.height - 50) doc.addPage();
        const y = doc.y;
        doc.font(bold ? 'bold' : 'body').fontSize(8);
        cells.forEach((cell, i) =>
          doc.text(cell, i === 0 ? 40 : 40 + first + (i - 1) * rest, y, {
            width: i === 0 ? first : rest - 4,
            lineBreak: false,
            ellipsis: true,
          }),
        );
        doc.y = y + 12;
      };
      line([w.taskForce, ...columns.map((c) => w.key(c, def.breakdown))], true);
      for (const row of table.rows)
        line(
          [
            row.label === 'TOTAL' ? w.total : row.label,
            ...row.values.slice(from, from + PER_LINE).map((v) => (v === null ? '<5' : w.value(v))),
          ],
          row.label === 'TOTAL',
        );
    }
    doc.moveDown(0.6);
  }
  doc.end();
  return done;
}

const TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pdf: 'application/pdf',
};

/** The report files. Callers check access first (ReportsService), then record the export. */
@Injectable()
export class ReportExportsService {
  /** `language` is the PDF's (CSV and XLSX keep the indicator ids and English names a spreadsheet is read by). */
  async taskForce(report: TaskForceReport, format: ExportFormat, language: ReportLanguage = 'en'): Promise<ExportFile> {
    const name = `report-${report.taskForce.code}-${report.period.key}`.replace(/[^A-Za-z0-9._-]/g, '_');
    const sheets = taskForceSheets(report);
    const body =
      format === 'csv'
        ? csv(sheets)
        : format === 'xlsx'
          ? await xlsx(`${report.taskForce.code} ${report.period.key}`, sheets)
          : await pdf(report, language);
    return { filename: `${name}.${format}`, contentType: TYPES[format], body };
  }

  async national(report: NationalReport, format: ExportFormat, language: ReportLanguage = 'en'): Promise<ExportFile> {
    const sheets = nationalSheets(report);
    const body =
      format === 'csv'
        ? csv(sheets)
        : format === 'xlsx'
          ? await xlsx(`National roll-up ${report.period.key}`, sheets)
          : await nationalPdf(report, language);
    return { filename: `national-${report.period.key}.${format}`, contentType: TYPES[format], body };
  }
}
