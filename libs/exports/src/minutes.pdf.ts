import PDFDocument from 'pdfkit';
import type { MinutesModel } from './minutes.service';

/**
 * DejaVu Sans, embedded: PDF's built-in fonts have no ș and ț (comma below), which Romanian names
 * and places need. Resolved from node_modules at run time, so the image ships it with the app.
 */
const FONT = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf');
const BOLD = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf');
const OBLIQUE = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Oblique.ttf');

/** The minutes as an A4 PDF, laid out as a proces-verbal: the same content as the Markdown. */
export function minutesPdf(model: MinutesModel): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margin: 56,
    lang: model.language,
    info: { Title: model.heading, Creator: 'Task Force Hub' },
    bufferPages: true,
  });
  doc.registerFont('body', FONT);
  doc.registerFont('bold', BOLD);
  doc.registerFont('oblique', OBLIQUE);
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const heading = (text: string, size: number) => {
    doc.moveDown(0.6).font('bold').fontSize(size).text(text).moveDown(0.3);
  };
  const body = (text: string) => {
    doc.font('body').fontSize(10).text(text);
  };
  // Indented as a block, so a wrapped line stays under the first one.
  const INDENT = 14;
  const indented = (text: string) => {
    const left = doc.page.margins.left;
    const width = doc.page.width - left - doc.page.margins.right - INDENT;
    doc
      .font('body')
      .fontSize(10)
      .text(text, left + INDENT, undefined, { width });
    doc.x = left;
  };
  const bullet = (text: string) => indented(`•  ${text}`);

  doc.font('bold').fontSize(16).text(model.heading);
  doc.moveDown(0.4);
  for (const fact of model.facts) body(fact);

  heading(model.attendance.title, 13);
  if (model.attendance.rows.length) {
    body(model.attendance.summary);
    doc.moveDown(0.3);
    // By agency: the agency once, then its people, present or absent.
    let agency: string | null = null;
    for (const [rowAgency, member, attended, arrived, left] of model.attendance.rows) {
      if (rowAgency !== agency) {
        agency = rowAgency;
        doc
          .moveDown(0.2)
          .font('bold')
          .fontSize(10)
          .text(rowAgency || '—');
      }
      const times = [arrived, left].filter(Boolean).join('–');
      bullet(`${member}: ${attended}${times ? ` (${times})` : ''}`);
    }
  } else body(model.attendance.empty);

  heading(model.agenda.title, 13);
  if (!model.agenda.items.length) body(model.agenda.empty);
  for (const item of model.agenda.items) {
    doc.moveDown(0.3).font('bold').fontSize(11).text(item.heading);
    if (item.details) doc.font('oblique').fontSize(9).text(item.details);
    if (item.notes.length) {
      doc.moveDown(0.2).font('bold').fontSize(10).text(item.notesTitle);
      item.notes.forEach(bullet);
    }
    if (item.decisions.length) {
      doc.moveDown(0.2).font('bold').fontSize(10).text(item.decisionsTitle);
      item.decisions.forEach(bullet);
    }
    if (!item.notes.length && !item.decisions.length) body(item.empty);
  }

  heading(model.actionItems.title, 13);
  if (model.actionItems.rows.length) {
    const [, assignee, due, priority, status] = model.actionItems.columns;
    for (const [title, who, when, how, where] of model.actionItems.rows) {
      doc.moveDown(0.2).font('bold').fontSize(10).text(title);
      indented(`${assignee}: ${who}; ${due}: ${when}; ${priority}: ${how}; ${status}: ${where}`);
    }
  } else body(model.actionItems.empty);

  doc.moveDown(1).font('oblique').fontSize(8).text(model.footer);
  doc.end();
  return done;
}
