/**
 * What the tab's pages receive: the shapes of the API's answers. The page imports this file too, so it
 * imports nothing but core/ types.
 */
import type { CurrentDocument, RegisterAccess, RegisterCell, RegisterRow } from '../../core/aup';
import type { Role } from '../../core/roles';
import type { TabPageId } from '../../core/tabPages';

/** Who is signed in, and the pages they see. */
export interface MeView {
  id: string;
  name: string;
  access: RegisterAccess;
  roles: Role[];
  pages: TabPageId[];
}

export interface RegisterView {
  /** What the caller may do: the same answer is shared by everyone with the same access. */
  access: RegisterAccess;
  schoolName: string;
  /** Where staff come from: the tenant's Microsoft 365, or the demo school's directory (local runs). */
  directory: 'microsoft365' | 'demo';
  documents: (CurrentDocument & { signedInTeams: boolean })[];
  yearGroups: string[];
  /** Aligned cells: rows[i].cells[j] is the status of documents[j] (null: does not apply). */
  rows: RegisterRow[];
}

export interface TabConfig {
  schoolName: string;
  localMode: boolean;
  ssoConfigured: boolean;
}

/** "My records": what the signed-in person has signed (and, later, their training). */
export interface MyRecordsView {
  name: string;
  /** Not in the register yet (for example a governor who is not staff): nothing applies to them. */
  inRegister: boolean;
  documents: { document: CurrentDocument & { signedInTeams: boolean }; cell: RegisterCell }[];
}

export interface ImportRowReport {
  row: number;
  name: string;
  problems: string[];
}

export interface ImportCheckView {
  total: number;
  good: number;
  bad: ImportRowReport[];
  fileProblem?: string;
}

export type ImportProgress =
  | { stage: 'checked'; total: number; good: number; bad: number }
  | { stage: 'importing'; done: number; of: number }
  | { stage: 'done'; imported: number; refused: number }
  | { stage: 'failed'; error: string };

export interface ReminderProgress {
  id: string;
  documentId: string;
  version: number;
  total: number;
  sent: number;
  failed: number;
  status: 'running' | 'done';
  startedAt: string;
  finishedAt?: string;
}

/** A reminder run as the page shows its progress. */
export function toReminderProgress(run: { id: string; subject: { id: string; version: number }; total: number; sent: number; failed: number; status: 'running' | 'done'; startedAt: string; finishedAt?: string }): ReminderProgress {
  return { id: run.id, documentId: run.subject.id, version: run.subject.version, total: run.total, sent: run.sent, failed: run.failed, status: run.status, startedAt: run.startedAt, finishedAt: run.finishedAt };
}
