/**
 * Product bugs the fuzz found and its report lists, each with the smallest input that shows it: counted
 * apart so that the run stays useful until they are fixed. A bug listed here and no longer seen in a
 * run is said in the summary, so that its entry can go. Each matches by route, kind and the logged
 * error, never by the input, so that a new way to the same fault is known and a new fault is not.
 */
import type { Failure } from './fuzzRun';

const MESSAGES = 'POST /api/messages';
/** Errors of reaching another service: the connection itself failed. */
const UNREACHABLE = /ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENOTFOUND|EAI_AGAIN|network_error|socket hang up/;

export const KNOWN: { id: string; title: string; matches(f: Failure): boolean }[] = [
  {
    id: 'F4',
    title: "tab API: an error Express or the JSON parser gives a 4xx status (a path parameter that is not valid percent-encoding, an unsupported charset or content encoding) is a 500 and an error line",
    matches: (f) => f.edge !== 'activities' && f.kind === 'unexpected 5xx' && f.status === 500 && /^tab request failed .*(Failed to decode param|unsupported charset|unsupported content encoding|incorrect header check|Decompression failed|invalid distance|unexpected end of file|Bad Request)/.test(f.detail ?? ''),
  },
  {
    id: 'F5',
    title: 'tab API: GET /documents/:documentId/versions/:version with both parameters wrong answers 400 twice: ERR_HTTP_HEADERS_SENT printed to the console',
    matches: (f) => f.kind === 'error log' && /ERR_HTTP_HEADERS_SENT/.test(f.detail ?? '') && /routes\/register\.ts:\d+/.test(f.detail ?? ''),
  },
  {
    id: 'F7',
    title: "tab API: an id with '/' used as a storage key unchecked (reminder run id, register person id in PUT /people/:personId/tags and POST /signatures) is a 500 with an empty error on Azurite",
    matches: (f) => f.edge !== 'activities' && f.kind === 'unexpected 5xx' && f.status === 500 && /^tab request failed \{"error":""\}$/.test(f.detail ?? ''),
  },
  {
    id: 'F8',
    title: 'tab API: an id with a lone surrogate becomes a storage key unchecked (POST /people externalId, the people import\'s id column): "URI malformed", a 500, or an import that "stopped part way" every time',
    matches: (f) => f.edge !== 'activities' && /^(tab request failed|import failed|training import failed) \{"error":"URI malformed"\}/.test(f.detail ?? ''),
  },
];
