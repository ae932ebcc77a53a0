/**
 * Acceptable Use Policies and who has signed them (PRODUCT.md §4; policy §7.2 "maintain a record of
 * users who are granted access", §5.1, §7.8.2, §8.4, §9.3). Pure rules: which documents a person must
 * sign, and whether they have signed the current version, an older one, or never. The SHA-256 of a
 * document's text is computed outside (store), never here.
 */

import type { Role } from './roles';

/** Who a person is to the school, for the register ("role" in the tab's filters). */
export const PERSON_KINDS = ['staff', 'learner', 'parent', 'visitor'] as const;
export type PersonKind = (typeof PERSON_KINDS)[number];

export const PERSON_KIND_TITLES: Record<PersonKind, string> = {
  staff: 'Staff',
  learner: 'Learner',
  parent: 'Parent or carer',
  visitor: 'Visitor',
};

/** The kinds of AUP the policy names. A school may hold several documents of one kind (age-appropriate learner AUPs). */
export const AUP_KINDS = ['staff', 'learner', 'visitor', 'socialMedia', 'byod', 'mustRead'] as const;
export type AupKind = (typeof AUP_KINDS)[number];

/** Tag on a member of staff who runs one of the school's official channels (§7.8.2). */
export const OFFICIAL_CHANNELS_TAG = 'officialChannels';

export interface AppliesTo {
  kinds: PersonKind[];
  /** Only learners (and parents of learners) in these year groups; empty or absent = every year group. */
  yearGroups?: string[];
  /** Only people carrying this tag (for example staff who run official social-media channels). */
  tag?: string;
}

export const AUP_KIND_INFO: Record<AupKind, { title: string; policy: string; appliesTo: AppliesTo; signedInTeams: boolean }> = {
  staff: { title: 'Staff Acceptable Use Policy', policy: '§7.2, §9.3', appliesTo: { kinds: ['staff'] }, signedInTeams: true },
  learner: { title: 'Learner Acceptable Use Policy', policy: '§5.1, §7.2', appliesTo: { kinds: ['learner'] }, signedInTeams: false },
  visitor: { title: 'Visitor Acceptable Use Policy', policy: '§7.2, §8.4', appliesTo: { kinds: ['visitor'] }, signedInTeams: false },
  socialMedia: {
    title: 'Acceptable Use of ICT, Mobile Phones and Social Networking Sites (official channels)',
    policy: '§7.8.2',
    appliesTo: { kinds: ['staff'], tag: OFFICIAL_CHANNELS_TAG },
    signedInTeams: true,
  },
  byod: { title: 'Bring Your Own Device letter', policy: '§8.4', appliesTo: { kinds: ['learner', 'parent'] }, signedInTeams: false },
  // KCSIE Part 1, read by every member of staff each year (§5.3): confirmed like an AUP, and the
  // confirmation is also a training record of the course that names the document (config training).
  mustRead: { title: 'Must-read document (for example KCSIE Part 1)', policy: '§5.3; KCSIE Part 1', appliesTo: { kinds: ['staff'] }, signedInTeams: true },
};

export interface RegisterPerson {
  id: string;
  displayName: string;
  kind: PersonKind;
  yearGroup?: string;
  tags: string[];
}

/** A document as the register sees it: its current version only. */
export interface CurrentDocument {
  id: string;
  kind: AupKind;
  title: string;
  version: number;
  publishedAt: string;
  appliesTo: AppliesTo;
  /** Where the text is published, when it is a link rather than text held here. */
  link?: string;
}

export type SignatureStatus = 'current' | 'older' | 'never';

export const STATUS_TITLES: Record<SignatureStatus, string> = {
  current: 'Signed current version',
  older: 'Signed an older version',
  never: 'Never signed',
};

/** The latest version a person has signed of one document. */
export interface LatestSignature {
  personId: string;
  documentId: string;
  version: number;
  signedAt: string;
  channel: SignatureChannel;
}

export type SignatureChannel = 'teams' | 'paper';

export function documentAppliesTo(appliesTo: AppliesTo, person: Pick<RegisterPerson, 'kind' | 'yearGroup' | 'tags'>): boolean {
  if (!appliesTo.kinds.includes(person.kind)) return false;
  if (appliesTo.tag && !person.tags.includes(appliesTo.tag)) return false;
  const years = appliesTo.yearGroups ?? [];
  if (years.length > 0 && (person.kind === 'learner' || person.kind === 'parent')) {
    return !!person.yearGroup && years.includes(person.yearGroup);
  }
  return true;
}

/** A new version (annual review, §3) asks everyone to sign again: anything below current is "older". */
export function signatureStatus(latestSignedVersion: number | undefined, currentVersion: number): SignatureStatus {
  if (latestSignedVersion === undefined) return 'never';
  return latestSignedVersion >= currentVersion ? 'current' : 'older';
}

export interface RegisterCell {
  status: SignatureStatus;
  signedVersion?: number;
  signedAt?: string;
  channel?: SignatureChannel;
}

export interface RegisterRow {
  person: RegisterPerson;
  /** Aligned with the documents list; null where the document does not apply to this person. */
  cells: (RegisterCell | null)[];
}

export function signatureKey(personId: string, documentId: string): string {
  return `${personId}|${documentId}`;
}

/** Keeps, per person and document, only the highest version signed. */
export function latestSignatures<T extends LatestSignature>(all: Iterable<T>): Map<string, T> {
  const out = new Map<string, T>();
  for (const s of all) {
    const key = signatureKey(s.personId, s.documentId);
    const prev = out.get(key);
    if (!prev || s.version > prev.version) out.set(key, s);
  }
  return out;
}

export function buildRegister(people: RegisterPerson[], documents: CurrentDocument[], latest: Map<string, LatestSignature>): RegisterRow[] {
  return people.map((person) => ({
    person,
    cells: documents.map((d) => {
      if (!documentAppliesTo(d.appliesTo, person)) return null;
      const sig = latest.get(signatureKey(person.id, d.id));
      return sig
        ? { status: signatureStatus(sig.version, d.version), signedVersion: sig.version, signedAt: sig.signedAt, channel: sig.channel }
        : { status: 'never' as const };
    }),
  }));
}

export interface RegisterFilter {
  kind?: PersonKind;
  yearGroup?: string;
  documentId?: string;
  status?: SignatureStatus;
  /** Matched against the name, case and accents ignored. */
  search?: string;
}

export type RegisterSort = 'name' | 'kind' | 'yearGroup' | 'status';

function fold(s: string): string {
  return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
}

/**
 * The rows a filter keeps. With a document chosen, only people it applies to; with a status, people
 * who have that status for the chosen document (or for any document when none is chosen).
 */
export function filterRegister(rows: RegisterRow[], documents: Pick<CurrentDocument, 'id'>[], filter: RegisterFilter): RegisterRow[] {
  const docIndex = filter.documentId ? documents.findIndex((d) => d.id === filter.documentId) : -1;
  const needle = filter.search ? fold(filter.search.trim()) : '';
  return rows.filter((r) => {
    if (filter.kind && r.person.kind !== filter.kind) return false;
    if (filter.yearGroup && r.person.yearGroup !== filter.yearGroup) return false;
    if (needle && !fold(r.person.displayName).includes(needle)) return false;
    if (filter.documentId) {
      const cell = docIndex >= 0 ? r.cells[docIndex] : null;
      if (!cell) return false;
      if (filter.status && cell.status !== filter.status) return false;
    } else if (filter.status) {
      if (!r.cells.some((c) => c?.status === filter.status)) return false;
    }
    return true;
  });
}

const STATUS_ORDER: Record<SignatureStatus, number> = { never: 0, older: 1, current: 2 };

/** The worst status a row has (for the chosen document, or across all): never < older < current. */
export function rowStatus(row: RegisterRow, docIndex = -1): SignatureStatus | undefined {
  const cells = docIndex >= 0 ? [row.cells[docIndex]] : row.cells;
  let worst: SignatureStatus | undefined;
  for (const c of cells) if (c && (worst === undefined || STATUS_ORDER[c.status] < STATUS_ORDER[worst])) worst = c.status;
  return worst;
}

export function sortRegister(rows: RegisterRow[], by: RegisterSort, descending = false, docIndex = -1): RegisterRow[] {
  const key = (r: RegisterRow): string => {
    switch (by) {
      case 'name':
        return fold(r.person.displayName);
      case 'kind':
        return `${r.person.kind}|${fold(r.person.displayName)}`;
      case 'yearGroup':
        return `${r.person.yearGroup ?? '~'}|${fold(r.person.displayName)}`;
      case 'status': {
        const s = rowStatus(r, docIndex);
        return `${s === undefined ? 9 : STATUS_ORDER[s]}|${fold(r.person.displayName)}`;
      }
    }
  };
  const keyed = rows.map((r) => [key(r), r] as const);
  keyed.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const out = keyed.map(([, r]) => r);
  return descending ? out.reverse() : out;
}

export type StatusCounts = Record<SignatureStatus, number>;

/** Counts per document (cells where the document applies) across the given rows. */
export function countRegister(rows: RegisterRow[], documentCount: number): StatusCounts[] {
  const out: StatusCounts[] = Array.from({ length: documentCount }, () => ({ current: 0, older: 0, never: 0 }));
  for (const r of rows) r.cells.forEach((c, i) => { if (c) out[i][c.status]++; });
  return out;
}

/** People who must still sign a document (never, or an older version): who a reminder goes to. */
export function unsignedFor(rows: RegisterRow[], docIndex: number): RegisterPerson[] {
  return rows.filter((r) => { const c = r.cells[docIndex]; return !!c && c.status !== 'current'; }).map((r) => r.person);
}

/**
 * Who may see what in the tab: office staff keep the register (PRODUCT.md "who uses it"), leadership
 * may read all of it, everyone else sees only their own signatures. Concerns are never shown here.
 */
export type RegisterAccess = 'keep' | 'view' | 'own';

const KEEPERS: Role[] = ['officeStaff', 'headteacher', 'onlineSafetyLead'];
const VIEWERS: Role[] = ['dslPrep', 'dslPrePrep', 'deputyDsl'];
export const ACCESS_ROLES: Role[] = [...KEEPERS, ...VIEWERS];

export function registerAccess(roles: Role[]): RegisterAccess {
  if (roles.some((r) => KEEPERS.includes(r))) return 'keep';
  if (roles.some((r) => VIEWERS.includes(r))) return 'view';
  return 'own';
}
