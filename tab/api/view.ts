/** What the tab's page receives (types only: the page imports them too). */
import type { CurrentDocument, RegisterAccess, RegisterRow } from '../../core/aup';

export interface RegisterView {
  /** What the caller may do: the same answer is shared by everyone with the same access. */
  access: RegisterAccess;
  schoolName: string;
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
