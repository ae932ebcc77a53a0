/** CSV in and out (RFC 4180: quoted fields, doubled quotes, CRLF or LF), for the MIS import and the export. */

/** A file that is not CSV as a spreadsheet would read it: nothing in it is imported. */
export class CsvError extends Error {}

/**
 * The rows of a CSV file. A quote left open would swallow every row after it into one cell, so it is
 * refused (CsvError, naming the row it opened on) rather than read.
 */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let quoteOpenedOnRow = 0;
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text; // Excel's byte-order mark
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (quoted) {
      if (c === '"') {
        if (src[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += c;
    } else if (c === '"' && field === '') {
      quoted = true;
      quoteOpenedOnRow = rows.length + 1;
    }
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && src[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (quoted) throw new CsvError(`A quote (") opened on row ${quoteOpenedOnRow} is never closed, so the rows after it cannot be read. Check that row in the file.`);
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/** A cell that a spreadsheet would run as a formula is prefixed with a quote (CSV injection). */
function cell(value: string | number | undefined): string {
  let s = value === undefined ? '' : String(value);
  // Also after leading spaces or line breaks, which spreadsheets skip before reading a formula.
  if (/^[\s]*[=+\-@]/.test(s) || /^[\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(rows: (string | number | undefined)[][]): string {
  return rows.map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}
