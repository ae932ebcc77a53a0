/**
 * The governors' report as a PDF and as CSV, drawn from the report core/report.ts built (suppressed
 * counts only, no names). The PDF is drawn with pdfkit as the child-protection file is
 * (tab/api/transferPdf.ts: it runs wherever the server does, no browser, standard Helvetica); the CSV
 * is formula-safe (tab/api/csv.ts).
 */
import PDFDocument from 'pdfkit';
import type { GovernorsReport, ReportTable } from '../../core/report';
import { dayTitle } from '../../core/time';
import { toCsv } from './csv';

const MARGIN = 50;

export function reportTitle(r: GovernorsReport): string {
  return `Online safety report for governors: ${r.term.name}`;
}

export function reportPdf(r: GovernorsReport): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margin: MARGIN, bufferPages: true, info: { Title: reportTitle(r), Author: r.schoolName, Subject: 'Anonymised online safety report for the governing body' } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  const width = doc.page.width - 2 * MARGIN;
  const bottom = () => doc.page.height - MARGIN - 20;

  doc.font('Helvetica-Bold').fontSize(18).text(reportTitle(r));
  doc.font('Helvetica').fontSize(11).text(r.schoolName);
  doc.text(`${r.term.name}: ${dayTitle(r.term.start)} to ${dayTitle(r.term.end)}${r.previousTerm ? `, compared with ${r.previousTerm.name}` : ''}.`);
  doc.text(`Prepared on ${dayTitle(r.preparedOn)}.`);
  doc.moveDown(0.4).fontSize(10).text(`${r.rule} No names are given anywhere in this report.`);

  for (const table of r.tables) drawTable(doc, table, width, bottom);

  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    // Written in the bottom margin: without this pdfkit would start a new page for it.
    doc.page.margins.bottom = 0;
    doc.font('Helvetica').fontSize(8).text(`${reportTitle(r)}. ${r.schoolName}. Anonymised: no names. Page ${i + 1} of ${range.count}.`, MARGIN, doc.page.height - MARGIN + 16, { width, align: 'center', lineBreak: false });
  }
  doc.end();
  return done;
}

function drawTable(doc: PDFKit.PDFDocument, table: ReportTable, width: number, bottom: () => number): void {
  // The first column holds the labels: half the width; the others share the rest.
  const first = table.columns.length > 1 ? width * 0.5 : width;
  const rest = table.columns.length > 1 ? (width - first) / (table.columns.length - 1) : 0;
  const xs = table.columns.map((_, i) => MARGIN + (i === 0 ? 0 : first + (i - 1) * rest));
  const ws = table.columns.map((_, i) => (i === 0 ? first : rest) - 6);
  const rowHeight = (cells: string[]) => Math.max(...cells.map((c, i) => doc.heightOfString(c || ' ', { width: ws[i] }))) + 4;
  const row = (cells: string[], bold: boolean) => {
    doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(9.5);
    const h = rowHeight(cells);
    if (doc.y + h > bottom()) doc.addPage();
    const y = doc.y;
    cells.forEach((c, i) => doc.text(c, xs[i], y, { width: ws[i] }));
    doc.x = MARGIN;
    doc.y = y + h;
    doc.moveTo(MARGIN, doc.y - 2).lineTo(MARGIN + width, doc.y - 2).lineWidth(0.3).strokeColor('#999999').stroke();
  };

  if (doc.y + 80 > bottom()) doc.addPage();
  doc.x = MARGIN;
  doc.moveDown(0.8).font('Helvetica-Bold').fontSize(13).fillColor('black').text(table.title, MARGIN);
  if (table.note) doc.font('Helvetica').fontSize(9).text(table.note, MARGIN, doc.y, { width });
  doc.moveDown(0.3);
  row(table.columns, true);
  if (table.rows.length === 0) row(['None recorded.', ...table.columns.slice(1).map(() => '')], false);
  for (const r of table.rows) row(r, false);
}

/** The report as CSV: a heading block, then each table with its title, its columns and its rows. */
export function reportCsv(r: GovernorsReport): string {
  const rows: (string | number | undefined)[][] = [
    [reportTitle(r)],
    ['School', r.schoolName],
    ['Term', r.term.name, r.term.start, r.term.end],
    ...(r.previousTerm ? [['Compared with', r.previousTerm.name, r.previousTerm.start, r.previousTerm.end]] : []),
    ['Prepared on', r.preparedOn],
    [r.rule],
  ];
  for (const t of r.tables) rows.push([], [t.title], ...(t.note ? [[t.note]] : []), t.columns, ...t.rows);
  return `\ufeff${toCsv(rows)}`;
}
