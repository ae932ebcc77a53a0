/** A PDF's text, extracted with pdf.js (pdfTextReader.mjs, in its own process: pdf.js is an ES module). */
import { spawn } from 'node:child_process';
import path from 'node:path';

export interface PdfText {
  pages: string[];
  info: Record<string, unknown>;
}

export function pdfText(pdf: Buffer): Promise<PdfText> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(__dirname, 'pdfTextReader.mjs')], { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`pdf.js could not read the PDF: ${Buffer.concat(err).toString().slice(0, 500)}`));
      resolve(JSON.parse(Buffer.concat(out).toString()) as PdfText);
    });
    child.stdin.end(pdf);
  });
}
