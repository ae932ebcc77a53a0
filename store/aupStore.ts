/**
 * The AUP register's storage (PRODUCT.md §4): people, documents with their versions, and signatures.
 * Three tables, one partition per school in each (see tables.ts for the keys and why). A signature is
 * created once under a deterministic key, so a retried or double-pressed "I have read and agree"
 * stores one signature.
 */
import { randomBytes } from 'node:crypto';
import type { TransactionAction } from '@azure/data-tables';
import {
  latestSignatures,
  signatureKey,
  type AppliesTo,
  type AupKind,
  type CurrentDocument,
  type LatestSignature,
  type PersonKind,
  type RegisterPerson,
  type SignatureChannel,
} from '../core/aup';
import { PartitionCache } from './partitionCache';
import { isKeySafe, isStatus, json, keyPart, partitionFilter, prefixFilter, readOrUndefined, type Entity, type Tables } from './tables';

/** Azure Tables: a string property holds 64 KiB (32 Ki UTF-16 code units); an entity at most 1 MiB. */
const TEXT_CHUNK_CHARS = 30_000;
const MAX_TEXT_CHUNKS = 16;
export const MAX_DOCUMENT_TEXT_CHARS = TEXT_CHUNK_CHARS * MAX_TEXT_CHUNKS;
const MAX_ENTITY_BYTES = 1024 * 1024 - 8192;
const MAX_TRANSACTION_ACTIONS = 100;

export type PersonSource = 'graph' | 'csv' | 'form';

export interface StoredPerson extends RegisterPerson {
  source: PersonSource;
  /** The MIS id (CSV) or the Entra object id (Graph). */
  externalId: string;
  /** Staff who left the all-staff group stay on record but leave the register. */
  active: boolean;
  updatedAt: string;
  /** Staff: their email (from Graph), how the MIS's exports name them. */
  email?: string;
  /** Staff: their code in the MIS (SIMS staff code), learnt from an import. */
  staffCode?: string;
  /** Staff: their first day at the school (YYYY-MM-DD), for induction and first-time training. */
  startedOn?: string;
  /** Learners: YYYY-MM-DD from the MIS, for the retention of child-protection records. */
  dateOfBirth?: string;
}

export interface DocumentVersion {
  documentId: string;
  kind: AupKind;
  version: number;
  title: string;
  link?: string;
  text?: string;
  sha256: string;
  publishedAt: string;
  publishedById: string;
  appliesTo: AppliesTo;
}

export interface AupSignature extends LatestSignature {
  personName: string;
  sha256: string;
  /** Paper signatures: the date on the paper (YYYY-MM-DD); signedAt is when it was recorded. */
  signedOn?: string;
  recordedById: string;
  recordedByName: string;
}

export class DocumentTooLargeError extends Error {}

const pad = (v: number) => String(v).padStart(6, '0');
const docKey = (id: string) => `doc|${id}`;
const versionKey = (id: string, v: number) => `ver|${id}|${pad(v)}`;
const signatureRowKey = (personId: string, documentId: string, version: number) => `${personId}|${documentId}|${pad(version)}`;
const REGISTER_STAMP = 'meta|register';
const STAFF_SYNC = 'meta|staffSync';

/**
 * An id from outside (a MIS id) made fit for a key: the characters Azure Tables refuses in keys (and
 * control characters, and '|') become '-'. What cannot be made fit (half of a surrogate pair: text
 * broken in its encoding) throws UnsafeKeyError: refused, never guessed at.
 */
export function safeKeyPart(s: string): string {
  return keyPart(s.replace(/[\\/#?\u0000-\u001f\u007f-\u009f|]/g, '-'), `the id "${s.replace(/[\ud800-\udfff]/g, '\ufffd').slice(0, 64)}"`);
}

/** Whether `s` can be made into a key by safeKeyPart. */
export function canBeKeyPart(s: string): boolean {
  try {
    safeKeyPart(s);
    return true;
  } catch {
    return false;
  }
}

function toPerson(e: Record<string, unknown>): StoredPerson {
  const s = (k: string) => (typeof e[k] === 'string' ? (e[k] as string) : '');
  return {
    id: e.rowKey as string,
    displayName: s('displayName'),
    kind: s('kind') as PersonKind,
    yearGroup: s('yearGroup') || undefined,
    tags: s('tags') ? s('tags').split(',') : [],
    source: s('source') as PersonSource,
    externalId: s('externalId'),
    active: e.active !== false,
    updatedAt: s('updatedAt'),
    email: s('email') || undefined,
    staffCode: s('staffCode') || undefined,
    startedOn: s('startedOn') || undefined,
    dateOfBirth: s('dateOfBirth') || undefined,
  };
}

function personEntity(schoolId: string, p: StoredPerson): Entity {
  return {
    partitionKey: schoolId,
    rowKey: p.id,
    displayName: p.displayName,
    kind: p.kind,
    yearGroup: p.yearGroup ?? '',
    tags: p.tags.join(','),
    source: p.source,
    externalId: p.externalId,
    active: p.active,
    updatedAt: p.updatedAt,
    // Merge writes keep what another source set (a staff code, a start date) when this one has none.
    ...(p.email ? { email: p.email } : {}),
    ...(p.staffCode ? { staffCode: p.staffCode } : {}),
    ...(p.startedOn ? { startedOn: p.startedOn } : {}),
    ...(p.dateOfBirth ? { dateOfBirth: p.dateOfBirth } : {}),
  };
}

function toVersion(e: Record<string, unknown>): DocumentVersion {
  const chunks = Number(e.textChunks ?? 0);
  const text = chunks > 0 ? Array.from({ length: chunks }, (_, i) => String(e[`text${i}`] ?? '')).join('') : undefined;
  return {
    documentId: e.documentId as string,
    kind: e.kind as AupKind,
    version: Number(e.version),
    title: String(e.title ?? ''),
    link: (e.link as string) || undefined,
    text,
    sha256: String(e.sha256 ?? ''),
    publishedAt: String(e.publishedAt ?? ''),
    publishedById: String(e.publishedById ?? ''),
    appliesTo: json<AppliesTo>(e.appliesTo, { kinds: [] }),
  };
}

function toSignature(e: Record<string, unknown>): AupSignature {
  const s = (k: string) => (typeof e[k] === 'string' ? (e[k] as string) : '');
  return {
    personId: s('personId'),
    personName: s('personName'),
    documentId: s('documentId'),
    version: Number(e.version),
    sha256: s('sha256'),
    signedAt: s('signedAt'),
    signedOn: s('signedOn') || undefined,
    channel: s('channel') as SignatureChannel,
    recordedById: s('recordedById'),
    recordedByName: s('recordedByName'),
  };
}

export interface Register {
  people: StoredPerson[];
  documents: CurrentDocument[];
  latest: Map<string, LatestSignature>;
}

export class AupStore {
  /** The last register read, kept while the school's register stamp is unchanged (any write changes it). */
  private readonly registerCache = new Map<string, { stamp: string; register: Register }>();
  private readonly people: PartitionCache<StoredPerson>;
  private readonly signatures: PartitionCache<LatestSignature>;

  constructor(private readonly tables: Tables) {
    const stamp = (schoolId: string) => this.registerStamp(schoolId);
    this.people = new PartitionCache(() => this.tables.People, { map: toPerson, stamp });
    this.signatures = new PartitionCache(() => this.tables.AupSignatures, {
      select: ['personId', 'documentId', 'version', 'signedAt', 'channel'],
      map: (e) => ({ personId: String(e.personId), documentId: String(e.documentId), version: Number(e.version), signedAt: String(e.signedAt), channel: e.channel as SignatureChannel }),
      stamp,
    });
  }

  // --- people -----------------------------------------------------------------------------------

  async listPeople(schoolId: string, opts: { includeInactive?: boolean } = {}): Promise<StoredPerson[]> {
    const out: StoredPerson[] = [];
    for await (const e of this.tables.People.listEntities<Record<string, unknown>>({ queryOptions: { filter: partitionFilter(schoolId) } })) {
      const p = toPerson(e);
      if (p.active || opts.includeInactive) out.push(p);
    }
    return out;
  }

  async getPerson(schoolId: string, id: string): Promise<StoredPerson | undefined> {
    if (!isKeySafe(id)) return undefined;
    const e = await readOrUndefined(() => this.tables.People.getEntity<Record<string, unknown>>(schoolId, id));
    return e && toPerson(e);
  }

  /** Writes people in transactions of 100 (one partition); calls back after each batch (progress). */
  async upsertPeople(schoolId: string, people: StoredPerson[], onBatch?: (done: number) => void): Promise<void> {
    // Checked before the first batch: an import never stops part way on an id storage refuses.
    for (const p of people) keyPart(p.id, `the person id "${p.id.slice(0, 64)}"`);
    for (let i = 0; i < people.length; i += MAX_TRANSACTION_ACTIONS) {
      const batch = people.slice(i, i + MAX_TRANSACTION_ACTIONS);
      await this.tables.People.submitTransaction(batch.map((p): TransactionAction => ['upsert', personEntity(schoolId, p), 'Merge']));
      onBatch?.(Math.min(people.length, i + batch.length));
    }
    if (people.length > 0) await this.touchRegister(schoolId);
  }

  /**
   * Keeps staff in step with the all-staff group: new members are added, names follow Graph, and
   * people who left the group leave the register (their rows and signatures stay on record).
   */
  async syncStaff(schoolId: string, members: { id: string; displayName: string; email?: string }[], at: string, opts: { removeLeavers: boolean; wholeGroup: boolean }): Promise<{ added: number; left: number }> {
    return this.syncFromGraph(schoolId, 'staff', members, at, opts);
  }

  /**
   * Keeps people of one kind from Graph (staff from the all-staff group, learners from School Data
   * Sync) in step: new ones are added, names and year groups follow Graph, and those who left leave
   * the register (their rows and signatures stay on record). Keyed by the Entra object id; rows
   * imported by CSV (keyed by MIS id) are never touched.
   */
  async syncFromGraph(
    schoolId: string,
    kind: 'staff' | 'learner',
    members: { id: string; displayName: string; yearGroup?: string; email?: string }[],
    at: string,
    opts: { removeLeavers: boolean; wholeGroup: boolean },
  ): Promise<{ added: number; left: number }> {
    const existing = new Map((await this.listPeople(schoolId, { includeInactive: true })).filter((p) => p.source === 'graph' && p.kind === kind).map((p) => [p.id, p]));
    const actions: TransactionAction[] = [];
    let added = 0;
    for (const m of members) {
      const prev = existing.get(m.id);
      if (prev && prev.active && prev.displayName === m.displayName && prev.yearGroup === m.yearGroup && prev.email === m.email) continue;
      if (!prev) added++;
      const yearGroup = kind === 'learner' ? { yearGroup: m.yearGroup ?? '' } : {};
      const email = m.email ? { email: m.email } : {};
      actions.push(['upsert', { partitionKey: schoolId, rowKey: m.id, displayName: m.displayName, kind, ...yearGroup, ...email, source: 'graph', externalId: m.id, active: true, updatedAt: at }, 'Merge']);
    }
    const current = new Set(members.map((m) => m.id));
    let left = 0;
    if (opts.removeLeavers) {
      for (const p of existing.values()) {
        if (p.active && !current.has(p.id)) {
          left++;
          actions.push(['update', { partitionKey: schoolId, rowKey: p.id, active: false, updatedAt: at }, 'Merge']);
        }
      }
    }
    for (let i = 0; i < actions.length; i += MAX_TRANSACTION_ACTIONS) await this.tables.People.submitTransaction(actions.slice(i, i + MAX_TRANSACTION_ACTIONS));
    if (opts.wholeGroup && kind === 'staff') await this.tables.AupDocuments.upsertEntity({ partitionKey: schoolId, rowKey: STAFF_SYNC, at }, 'Replace');
    if (actions.length > 0) await this.touchRegister(schoolId);
    return { added, left };
  }

  async lastStaffSync(schoolId: string): Promise<string | undefined> {
    return (await readOrUndefined(() => this.tables.AupDocuments.getEntity<{ at: string }>(schoolId, STAFF_SYNC)))?.at;
  }

  /**
   * A member of staff's start date and MIS staff code (null clears one). False when the register has no
   * such person (a governor who is not staff: the training store keeps theirs).
   */
  async setStaffDetails(schoolId: string, personId: string, details: { startedOn?: string | null; staffCode?: string | null }, at: string): Promise<boolean> {
    if (!isKeySafe(personId)) return false;
    const update: Entity = { partitionKey: schoolId, rowKey: personId, updatedAt: at };
    if (details.startedOn !== undefined) update.startedOn = details.startedOn ?? '';
    if (details.staffCode !== undefined) update.staffCode = details.staffCode ?? '';
    try {
      await this.tables.People.updateEntity(update, 'Merge');
    } catch (err) {
      if (isStatus(err, 404, 400)) return false;
      throw err;
    }
    await this.touchRegister(schoolId);
    return true;
  }

  async setTags(schoolId: string, personId: string, tags: string[], at: string): Promise<boolean> {
    if (!isKeySafe(personId)) return false;
    try {
      await this.tables.People.updateEntity({ partitionKey: schoolId, rowKey: personId, tags: tags.join(','), updatedAt: at }, 'Merge');
    } catch (err) {
      if (isStatus(err, 404, 400)) return false;
      throw err;
    }
    await this.touchRegister(schoolId);
    return true;
  }

  // --- documents --------------------------------------------------------------------------------

  async currentDocuments(schoolId: string): Promise<CurrentDocument[]> {
    const out: CurrentDocument[] = [];
    const iter = this.tables.AupDocuments.listEntities<Record<string, unknown>>({ queryOptions: { filter: prefixFilter(schoolId, 'doc|') } });
    for await (const e of iter) {
      out.push({
        id: String(e.documentId),
        kind: e.kind as AupKind,
        title: String(e.title),
        version: Number(e.currentVersion),
        publishedAt: String(e.publishedAt),
        appliesTo: json<AppliesTo>(e.appliesTo, { kinds: [] }),
        link: (e.link as string) || undefined,
      });
    }
    return out.sort((a, b) => a.title.localeCompare(b.title));
  }

  async getVersion(schoolId: string, documentId: string, version: number): Promise<DocumentVersion | undefined> {
    if (!isKeySafe(documentId)) return undefined;
    const e = await readOrUndefined(() => this.tables.AupDocuments.getEntity<Record<string, unknown>>(schoolId, versionKey(documentId, version)));
    return e && toVersion(e);
  }

  async currentVersion(schoolId: string, documentId: string): Promise<DocumentVersion | undefined> {
    if (!isKeySafe(documentId)) return undefined;
    const head = await readOrUndefined(() => this.tables.AupDocuments.getEntity<Record<string, unknown>>(schoolId, docKey(documentId)));
    return head && this.getVersion(schoolId, documentId, Number(head.currentVersion));
  }

  async versions(schoolId: string, documentId: string): Promise<DocumentVersion[]> {
    const out: DocumentVersion[] = [];
    if (!isKeySafe(documentId)) return out;
    const iter = this.tables.AupDocuments.listEntities<Record<string, unknown>>({ queryOptions: { filter: prefixFilter(schoolId, `ver|${documentId}|`) } });
    for await (const e of iter) out.push(toVersion(e));
    return out;
  }

  /**
   * Publishes the next version of a document (creating the document at version 1). The new version
   * and the document's pointer to it are written in one transaction; the ETag makes two publishers at
   * the same moment get versions n and n+1, never two versions n.
   */
  async publish(schoolId: string, input: Omit<DocumentVersion, 'version'>): Promise<DocumentVersion> {
    keyPart(input.documentId, 'the document id');
    const chunks: string[] = [];
    for (let i = 0; input.text && i < input.text.length; i += TEXT_CHUNK_CHARS) chunks.push(input.text.slice(i, i + TEXT_CHUNK_CHARS));
    if (chunks.length > MAX_TEXT_CHUNKS) throw new DocumentTooLargeError(`The text is longer than ${MAX_DOCUMENT_TEXT_CHARS.toLocaleString('en-GB')} characters; publish it as a link instead.`);
    for (let attempt = 0; attempt < 10; attempt++) {
      const head = await readOrUndefined(() => this.tables.AupDocuments.getEntity<Record<string, unknown>>(schoolId, docKey(input.documentId)));
      const version = head ? Number(head.currentVersion) + 1 : 1;
      const published: DocumentVersion = { ...input, version };
      const row: Entity = {
        partitionKey: schoolId,
        rowKey: versionKey(input.documentId, version),
        documentId: input.documentId,
        kind: input.kind,
        version,
        title: input.title,
        link: input.link ?? '',
        sha256: input.sha256,
        publishedAt: input.publishedAt,
        publishedById: input.publishedById,
        appliesTo: JSON.stringify(input.appliesTo),
        textChunks: chunks.length,
        ...Object.fromEntries(chunks.map((c, i) => [`text${i}`, c])),
      };
      const bytes = Buffer.byteLength(JSON.stringify(row), 'utf16le');
      if (bytes > MAX_ENTITY_BYTES) throw new DocumentTooLargeError('The document is larger than storage allows (1 MiB); publish it as a link instead.');
      const headRow: Entity = {
        partitionKey: schoolId,
        rowKey: docKey(input.documentId),
        documentId: input.documentId,
        kind: input.kind,
        title: input.title,
        currentVersion: version,
        link: input.link ?? '',
        publishedAt: input.publishedAt,
        appliesTo: JSON.stringify(input.appliesTo),
      };
      try {
        await this.tables.AupDocuments.submitTransaction([
          ['create', row],
          head ? ['update', headRow, 'Replace', { etag: head.etag as string }] : ['create', headRow],
        ]);
        await this.touchRegister(schoolId);
        return published;
      } catch (err) {
        if (isStatus(err, 409, 412)) continue;
        throw err;
      }
    }
    throw new Error('could not publish the document after 10 attempts');
  }

  // --- signatures -------------------------------------------------------------------------------

  /** Records a signature once: `created: false` when this person already signed this version. */
  async sign(schoolId: string, s: AupSignature): Promise<{ created: boolean; signature: AupSignature }> {
    const rowKey = signatureRowKey(keyPart(s.personId, 'the person id'), keyPart(s.documentId, 'the document id'), s.version);
    try {
      await this.tables.AupSignatures.createEntity({
        partitionKey: schoolId,
        rowKey,
        personId: s.personId,
        personName: s.personName,
        documentId: s.documentId,
        version: s.version,
        sha256: s.sha256,
        signedAt: s.signedAt,
        signedOn: s.signedOn ?? '',
        channel: s.channel,
        recordedById: s.recordedById,
        recordedByName: s.recordedByName,
      });
    } catch (err) {
      if (!isStatus(err, 409)) throw err;
      const existing = await this.tables.AupSignatures.getEntity<Record<string, unknown>>(schoolId, rowKey);
      return { created: false, signature: toSignature(existing) };
    }
    await this.touchRegister(schoolId);
    return { created: true, signature: s };
  }

  async signaturesOf(schoolId: string, personId: string): Promise<AupSignature[]> {
    const out: AupSignature[] = [];
    if (!isKeySafe(personId)) return out;
    const iter = this.tables.AupSignatures.listEntities<Record<string, unknown>>({ queryOptions: { filter: prefixFilter(schoolId, `${personId}|`) } });
    for await (const e of iter) out.push(toSignature(e));
    return out;
  }

  // --- the register -----------------------------------------------------------------------------

  /**
   * Everything the register needs, kept in memory while the school's register stamp (one small row,
   * rewritten after every register write by any instance) is unchanged; when it changes, only the
   * people and signatures written since are read (store/partitionCache.ts). The same answer object is
   * returned while nothing changed, so callers may key derived work on it.
   */
  async register(schoolId: string, opts: { personId?: string } = {}): Promise<Register> {
    if (opts.personId) {
      const [person, documents, signatures] = await Promise.all([
        this.getPerson(schoolId, opts.personId),
        this.currentDocuments(schoolId),
        this.signaturesOf(schoolId, opts.personId),
      ]);
      return { people: person && person.active ? [person] : [], documents, latest: latestSignatures(signatures) };
    }
    const stamp = (await this.registerStamp(schoolId)) ?? '';
    const cached = this.registerCache.get(schoolId);
    if (cached && stamp && cached.stamp === stamp) return cached.register;
    const [people, signatures, documents] = await Promise.all([this.people.read(schoolId, stamp), this.signatures.read(schoolId, stamp), this.currentDocuments(schoolId)]);
    const register: Register = { people: [...people.rows.values()].filter((p) => p.active), documents, latest: latestSignatures(signatures.rows.values()) };
    if (stamp) this.registerCache.set(schoolId, { stamp, register });
    return register;
  }

  private async registerStamp(schoolId: string): Promise<string | undefined> {
    return (await readOrUndefined(() => this.tables.AupDocuments.getEntity<{ stamp: string }>(schoolId, REGISTER_STAMP)))?.stamp;
  }

  private async touchRegister(schoolId: string): Promise<void> {
    await this.tables.AupDocuments.upsertEntity({ partitionKey: schoolId, rowKey: REGISTER_STAMP, stamp: `${Date.now()}-${randomBytes(6).toString('hex')}` }, 'Replace');
  }
}
