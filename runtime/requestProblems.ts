/**
 * Requests refused before any route runs: Express and its JSON parser give these errors a 4xx status
 * (a body that is not JSON, too large, in a charset or content encoding it cannot read, an address
 * that is not valid percent-encoding). They are the caller's mistake: answered with that status and a
 * sentence that says what to send instead, logged as a warning, never as a server error.
 */

export interface RequestProblem {
  status: number;
  message: string;
  /** What kind of refusal, for the log (the parser's error type, or the status). */
  kind: string;
}

/** The refusal an error from Express or body-parser stands for, or undefined for a server error. */
export function requestProblem(err: unknown, limits: { maxBody?: string } = {}): RequestProblem | undefined {
  const e = (err ?? {}) as { status?: unknown; statusCode?: unknown; type?: unknown; message?: unknown; code?: unknown };
  const status = typeof e.status === 'number' ? e.status : typeof e.statusCode === 'number' ? e.statusCode : undefined;
  if (status === undefined || status < 400 || status > 499) return undefined;
  const type = typeof e.type === 'string' ? e.type : '';
  const message = typeof e.message === 'string' ? e.message : '';
  const kind = type || String(status);
  switch (type) {
    case 'entity.parse.failed':
      return { status: 400, kind, message: 'The body is not valid JSON.' };
    case 'entity.too.large':
      return { status: 413, kind, message: tooLarge(limits.maxBody) };
    case 'charset.unsupported':
      return { status: 415, kind, message: 'The body must be JSON in UTF-8: its charset is not one this server reads.' };
    case 'encoding.unsupported':
      return { status: 415, kind, message: 'The body\'s Content-Encoding is not supported: send it uncompressed, or as gzip, deflate or br.' };
    case 'request.aborted':
      return { status: 400, kind, message: 'The request stopped before its body had all arrived.' };
    case 'request.size.invalid':
      return { status: 400, kind, message: 'The body is not the length its Content-Length says.' };
  }
  if (err instanceof URIError || /^Failed to decode param/.test(message)) return { status: 400, kind: 'param.decode.failed', message: 'The address is not valid: part of it is not valid percent-encoding.' };
  // zlib's errors (Z_DATA_ERROR, Z_BUF_ERROR...) on a body that does not match its Content-Encoding.
  if (typeof e.code === 'string' && e.code.startsWith('Z_')) return { status: 400, kind: 'decompression.failed', message: 'The body could not be decompressed: it does not match its Content-Encoding.' };
  if (/decompress|header check|invalid (distance|block|stored)|unexpected end of file/i.test(message)) return { status: 400, kind: 'decompression.failed', message: 'The body could not be decompressed: it does not match its Content-Encoding.' };
  return { status, kind, message: status === 413 ? tooLarge(limits.maxBody) : 'The request could not be read.' };
}

/** body-parser's limits ('256kb', '6mb') as people write them. */
const tooLarge = (limit: string | undefined) => (limit ? `The body is larger than ${limit.replace(/kb$/i, ' KB').replace(/mb$/i, ' MB')}.` : 'The body is too large.');
