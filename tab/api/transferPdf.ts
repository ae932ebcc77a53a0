/**
 * A child's whole child-protection record as a PDF, for the transfer to their new school (KCSIE: sent
 * separately from the main pupil file, securely). Drawn with pdfkit, a PDF library that runs wherever
 * the server does (App Service has no browser to print from) and gives the same file for the same
 * record; the standard Helvetica needs no font files. Every page says what it is and that it is
 * confidential; no images are ever in it (the product never holds any).
 */
import PDFDocument from 'pdfkit';
import type { CaseRecord, ChronologyEntry } from '../../core/case';
import { categoryById } from '../../core/categories';
import { DEVICES, LOCATIONS } from '../../core/concern';
import { formatTime } from '../../core/time';
import type { Transfer } from '../../store/transferStore';

export interface TransferRecord {
  schoolName: string;
  timeZone: string;
  learner: { name: string; yearGroup?: string; dateOfBirth?: string };
  transfer?: Pick<Transfer, 'destinationSchool' | 'destinationContact' | 'method' | 'sentOn'> & { sentByName: string };
  preparedBy: string;
  preparedAt: string;
  cases: { record: CaseRecord; chronology: ChronologyEntry[] }[];
}

const MARGIN = 56;

export function transferPdf(r: TransferRecord): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margin: MARGIN, bufferPages: true, info: { Title: `Child protection record: ${r.learner.name}`, Author: r.schoolName, Subject: 'CONFIDENTIAL child protection record' } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  const when = (iso: string) => formatTime(iso, r.timeZone);
  const heading = (text: string, size = 14) => doc.moveDown(0.6).font('Helvetica-Bold').fontSize(size).text(text).font('Helvetica').fontSize(10);
  const field = (label: string, value: string | undefined) => {
    if (!value) return;
    doc.font('Helvetica-Bold').fontSize(10).text(`${label}: `, { continued: true }).font('Helvetica').text(value);
  };

  doc.font('Helvetica-Bold').fontSize(18).text('CONFIDENTIAL: child protection record');
  doc.font('Helvetica').fontSize(10).text('To be kept separately from the main pupil file. Transferred under Keeping Children Safe in Education.');
  heading('The child');
  field('Name', r.learner.name);
  field('Year group', r.learner.yearGroup);
  field('Date of birth', r.learner.dateOfBirth);
  heading('From');
  field('School', r.schoolName);
  field('Prepared by', `${r.preparedBy}, ${when(r.preparedAt)}`);
  if (r.transfer) {
    heading('To');
    field('School', r.transfer.destinationSchool);
    field('For the attention of', r.transfer.destinationContact);
    field('Sent by', `${r.transfer.sentByName} on ${r.transfer.sentOn} (${r.transfer.method})`);
    doc.moveDown(0.3).text('Please confirm receipt to the sending school\'s Designated Safeguarding Lead.');
  }
  heading(`Concerns (${r.cases.length})`);
  if (r.cases.length === 0) doc.text('No concerns are recorded.');

  for (const { record, chronology } of r.cases) {
    const c = record.concern;
    heading(`${record.reference}: ${categoryById(c.category)?.title ?? c.category}`, 12);
    field('Raised', `${when(record.createdAt)} by ${record.reporter.displayName}`);
    field('Happened', `${c.happenedOn}${c.happenedAt ? ` ${c.happenedAt}` : ''}; ${LOCATIONS[c.location] ?? c.location}; ${DEVICES[c.device] ?? c.device}`);
    field('Learners named', c.learners.map((l) => `${l.name || '(name not given)'}${l.yearGroup ? ` (${l.yearGroup})` : ''}`).join('; '));
    field('Immediate danger', c.immediateDanger ? 'Yes' : undefined);
    field('Web address', c.url);
    doc.moveDown(0.2).font('Helvetica-Bold').text('What happened').font('Helvetica').text(c.whatHappened);
    if (c.actionsTaken) doc.moveDown(0.2).font('Helvetica-Bold').text('What had been done').font('Helvetica').text(c.actionsTaken);
    doc.moveDown(0.2).font('Helvetica-Bold').text('Chronology').font('Helvetica');
    for (const e of chronology) {
      const note = (e.detail as { note?: unknown; reason?: unknown } | undefined)?.note ?? (e.detail as { reason?: unknown } | undefined)?.reason;
      doc.text(`${when(e.at)}  ${e.summary}${e.by ? ` (${e.by.displayName})` : ''}${typeof note === 'string' && note ? `: ${note}` : ''}`, { indent: 10 });
    }
    if (record.closure) {
      doc.moveDown(0.2).font('Helvetica-Bold').text('Closure').font('Helvetica');
      field('Decision', record.closure.decision);
      field('Reason', record.closure.reason);
      field('Outcome', record.closure.outcome);
      field('Lessons learnt', record.closure.lessonsLearnt);
    } else {
      field('Status', 'Open at the time of transfer');
    }
  }

  // Every page: what it is, whose, and its number.
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    // Written in the bottom margin: without this pdfkit would start a new page for it.
    doc.page.margins.bottom = 0;
    const bottom = doc.page.height - MARGIN + 16;
    doc.font('Helvetica').fontSize(8).text(`CONFIDENTIAL child protection record: ${r.learner.name}. ${r.schoolName}. Page ${i + 1} of ${range.count}.`, MARGIN, bottom, { width: doc.page.width - 2 * MARGIN, align: 'center', lineBreak: false });
  }
  doc.end();
  return done;
}
