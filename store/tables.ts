/**
 * The one place that knows @azure/data-tables. Everything else asks the stores in this folder.
 *
 * Key design (many schools in one deployment, e.g. a trust):
 * - `Cases`: PartitionKey = schoolId. One partition per school holds its cases (`case|2026-0001`), the
 *   reference counter (`counter|2026`), the submission keys that make a double submit harmless
 *   (`submission|<reporter>|<form>`) and the outbox (`outbox|<reference>|...`). Keeping them in one
 *   partition lets a new case, its counter and the messages owed for it be written in one
 *   transaction: a case is never stored without the messages that tell people about it, nor the
 *   reverse. The tab's case list is one partition range query (`case|` .. `case|~`), newest last.
 * - `Conversations`: PartitionKey = tenant id, RowKey = the person's Entra object id: how the bot
 *   reaches someone in their 1:1 chat.
 * - `Directory`: PartitionKey = schoolId, RowKey = role: the last successful Graph lookup of each role
 *   group, used when Graph cannot be reached.
 * - `Audit`: PartitionKey = schoolId, RowKey = time-ordered id: append-only record of every read and
 *   change of a case.
 * - `People`, `AupDocuments`, `AupSignatures` (the AUP register, PRODUCT.md §4): PartitionKey = schoolId,
 *   so the whole register is three single-partition scans. People: RowKey = the Entra object id (staff)
 *   or `csv-<kind>-<MIS id>`, so a re-import or a Graph re-sync updates the same row. AupDocuments:
 *   `doc|<id>` points at the current version, `ver|<id>|<000001>` holds each version (text in 30,000-
 *   character properties, 64 KiB each, under 1 MiB), both written in one transaction; `meta|register`
 *   is rewritten after every register write so a cached register can be checked with one read.
 *   AupSignatures: RowKey = `<personId>|<documentId>|<000001>`: one person's signatures are one range,
 *   and a retried "I have read and agree" is a 409 on the same key, never a second signature.
 * - `Training` (staff training records, PRODUCT.md §5): PartitionKey = schoolId, RowKey =
 *   `r|<person>|<course>|<id>` with the id drawn from the person, course and day, so recording the same
 *   completion twice finds the same row (store/trainingStore.ts).
 * - `FilteringLog` (the filtering and monitoring log, PRODUCT.md §7): PartitionKey = schoolId, RowKey =
 *   `entry|<time-ordered id>`, `corrected|<id>` (one correction per entry) and `below|<vendor>|<alert
 *   id>` (alerts below the risk threshold, logged once) (store/filteringLogStore.ts).
 */
import { odata, TableClient, type TableEntity, type TableTransactionResponse, type TransactionAction } from '@azure/data-tables';
import { DefaultAzureCredential, ManagedIdentityCredential, type TokenCredential } from '@azure/identity';

export const TABLE_NAMES = ['Cases', 'Conversations', 'Directory', 'Audit', 'People', 'AupDocuments', 'AupSignatures', 'Training', 'FilteringLog'] as const;
export type TableName = (typeof TABLE_NAMES)[number];

export const AZURITE_CONNECTION_STRING =
  'DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;' +
  'AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;' +
  'TableEndpoint=http://127.0.0.1:10002/devstoreaccount1;';

export interface TablesSettings {
  /** A storage connection string (Azurite locally). */
  connectionString?: string;
  /** Or the account's table endpoint, reached with the managed identity (no account keys). */
  endpoint?: string;
  managedIdentityClientId?: string;
  /** Prefix for table names, so several deployments or test runs can share one account. */
  prefix?: string;
  /** One request gives up after this long (a storage account that hangs instead of refusing). */
  requestTimeoutMs?: number;
}

export type Tables = Record<TableName, TableClient>;

/**
 * A person is waiting on most calls (Teams gives a card action about 15 seconds), so retries are few
 * and short; what still fails goes to the outbox or the spool rather than keeping them waiting.
 */
const RETRY = { maxRetries: 3, retryDelayInMs: 200, maxRetryDelayInMs: 1500 };

export async function openTables(settings: TablesSettings): Promise<Tables> {
  const prefix = settings.prefix ?? '';
  const make = (name: TableName): TableClient => {
    const full = `${prefix}${name}`;
    if (settings.connectionString) {
      return TableClient.fromConnectionString(settings.connectionString, full, {
        allowInsecureConnection: settings.connectionString.includes('http://'),
        retryOptions: RETRY,
      });
    }
    if (!settings.endpoint) throw new Error('TABLES_CONNECTION_STRING or TABLES_ENDPOINT must be set');
    return new TableClient(settings.endpoint, full, credentialFor(settings), { retryOptions: RETRY });
  };
  const timeout = settings.requestTimeoutMs ?? 4000;
  const tables = Object.fromEntries(
    TABLE_NAMES.map((n) => {
      const client = make(n);
      // The SDK waits for ever by default: a black-holed connection must become an error, soon.
      client.pipeline.addPolicy({ name: 'requestTimeout', sendRequest: (request, next) => ((request.timeout = timeout), next(request)) });
      return [n, client];
    }),
  ) as Tables;
  await Promise.all(TABLE_NAMES.map((n) => tables[n].createTable()));
  return tables;
}

function credentialFor(settings: TablesSettings): TokenCredential {
  return settings.managedIdentityClientId
    ? new ManagedIdentityCredential({ clientId: settings.managedIdentityClientId })
    : new DefaultAzureCredential();
}

/** The HTTP status an Azure Tables call failed with (409 exists, 412 stale ETag, 404 missing). */
export function statusOf(err: unknown): number | undefined {
  const e = err as { statusCode?: number; response?: { status?: number } };
  return e?.statusCode ?? e?.response?.status;
}

export function isStatus(err: unknown, ...codes: number[]): boolean {
  const s = statusOf(err);
  return s !== undefined && codes.includes(s);
}

/** Storage could not be reached at all (not a refusal from the service). */
export function isUnreachable(err: unknown): boolean {
  if (statusOf(err) !== undefined) return false;
  // A request past its timeout (openTables sets one) is aborted: the service did not answer.
  if ((err as { name?: string })?.name === 'AbortError') return true;
  const code = (err as { code?: string })?.code ?? '';
  return ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'REQUEST_SEND_ERROR'].includes(code) || /ECONNREFUSED|socket hang up/i.test(String(err));
}

/**
 * The new ETag of each row a transaction wrote, by RowKey. The SDK names a sub-response's row only from
 * its Location (a create's; URL-encoded, so `case|1` comes back as `case%7C1`), and an update's answer
 * has its ETag alone. The service answers a changeset's requests in order: the n-th answer is the n-th
 * action's.
 */
export function etagsOf(actions: TransactionAction[], result: TableTransactionResponse): Map<string, string> {
  const out = new Map<string, string>();
  const inOrder = result.subResponses.length === actions.length;
  result.subResponses.forEach((r, i) => {
    const rowKey = inOrder ? String(actions[i][1].rowKey) : r.rowKey !== undefined ? decodeURIComponent(r.rowKey) : undefined;
    if (rowKey !== undefined && r.etag) out.set(rowKey, r.etag);
  });
  return out;
}

/**
 * A read that finds nothing answers undefined. Azure Tables says 404 for a missing row; a key it cannot
 * take (characters it refuses) is 400 and is, for a reader, just as missing.
 */
export async function readOrUndefined<T>(read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch (err) {
    if (isStatus(err, 404, 400)) return undefined;
    throw err;
  }
}

/**
 * Characters a PartitionKey or RowKey cannot hold: Azure Tables refuses '/', '\\', '#', '?' and control
 * characters in keys, and a lone surrogate cannot be sent at all (it is not UTF-8: the SDK's URL
 * encoding throws "URI malformed"). '|' is this code's own separator in keys.
 */
const UNSAFE_KEY_PART = /[\\/#?|\u0000-\u001f\u007f-\u009f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
/** A key holds at most 1 KiB; ids from outside are far shorter than this. */
const MAX_KEY_PART = 400;

/**
 * Whether an id from outside (a path, a body, a CSV row, an activity) may be part of a storage key.
 * Every store that builds a key from such an id asks this first: a read of an id that cannot be a key
 * finds nothing (404), a write of one throws UnsafeKeyError (400), and nothing unsafe reaches Azure.
 */
export function isKeySafe(part: string): boolean {
  return typeof part === 'string' && part.length > 0 && part.length <= MAX_KEY_PART && !UNSAFE_KEY_PART.test(part);
}

/** An id that cannot be part of a storage key, given to a write: the caller's input was wrong. */
export class UnsafeKeyError extends Error {
  constructor(readonly what: string) {
    super(`${what} cannot be stored: it is empty, longer than ${MAX_KEY_PART} characters, or has a character ids cannot have (/ \\ # ? |, a control character or half of a surrogate pair)`);
  }
}

/** The id, to be written into a key; throws UnsafeKeyError when it cannot be one. */
export function keyPart(part: string, what: string): string {
  if (!isKeySafe(part)) throw new UnsafeKeyError(what);
  return part;
}

/** Every row of one partition. */
export function partitionFilter(partitionKey: string): string {
  return odata`PartitionKey eq ${partitionKey}`;
}

/** The rows of one partition whose RowKey starts with `prefix` (keys use '|' separators, so '~' sorts after them all). */
export function prefixFilter(partitionKey: string, prefix: string): string {
  return odata`PartitionKey eq ${partitionKey} and RowKey ge ${prefix} and RowKey lt ${`${prefix}~`}`;
}

/** Azure Tables: a string property holds 64 KiB (32 Ki UTF-16 code units); an entity at most 1 MiB. */
export const MAX_PROPERTY_CHARS = 32 * 1024;

/** The largest string property of an entity, in UTF-16 code units (what Azure Tables counts). */
export function largestProperty(entity: Record<string, unknown>): { name: string; chars: number } {
  let largest = { name: '', chars: 0 };
  for (const [name, value] of Object.entries(entity)) {
    if (typeof value === 'string' && value.length > largest.chars) largest = { name, chars: value.length };
  }
  return largest;
}

export function json<T>(value: unknown, fallback: T): T {
  if (typeof value !== 'string') return fallback;
  try {
    return JSON.parse(value) as T;
  } catch {
    return fallback;
  }
}

export type Entity = TableEntity<Record<string, unknown>>;
