/**
 * What the tab's pages receive: the shapes of the API's answers. The page imports this file too, so it
 * imports nothing but core/ types.
 */
import type { CurrentDocument, RegisterAccess, RegisterCell, RegisterRow } from '../../core/aup';
import type { Role } from '../../core/roles';
import type { TabPageId } from '../../core/tabPages';
import type { CourseStatus, TrainingCounts } from '../../core/training';

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

/** "My records": what the signed-in person has signed, and their training. */
export interface MyRecordsView {
  name: string;
  /** Not in the register yet (for example a governor who is not staff): nothing applies to them. */
  inRegister: boolean;
  documents: { document: CurrentDocument & { signedInTeams: boolean }; cell: RegisterCell }[];
  training: {
    today: string;
    /** Every course they must do (and any they did that is no longer required), with its status. */
    courses: { course: CourseView; status: CourseStatus }[];
    records: TrainingRecordView[];
  };
}

/** A course as the pages show it. */
export interface CourseView {
  id: string;
  title: string;
  policy: string;
  /** "each academic year, by 30 Sep" */
  renewal: string;
  /** "everyone", or the roles */
  audience: string;
  confirmedInTeams: boolean;
}

export interface TrainingPersonView {
  id: string;
  name: string;
  roles: Role[];
  email?: string;
  staffCode?: string;
  startedOn?: string;
}

/** The whole-staff training matrix: people × courses (cells aligned with courses). */
export interface TrainingMatrixView {
  access: RegisterAccess;
  today: string;
  courses: CourseView[];
  rows: { person: TrainingPersonView; cells: CourseStatus[] }[];
  /** Per course, aligned with courses: "41 of 52 current". */
  counts: TrainingCounts[];
  /** Self-reports waiting for the office. */
  pending: number;
}

export interface TrainingHistoryEntry {
  at: string;
  byName: string;
  what: string;
  reason?: string;
  before: Record<string, unknown>;
}

export interface TrainingRecordView {
  key: string;
  personId: string;
  personName: string;
  courseId: string;
  completedOn: string;
  provider?: string;
  hours?: number;
  evidence?: string;
  source: 'tab' | 'csv' | 'self' | 'teams';
  state: 'confirmed' | 'pending' | 'rejected' | 'withdrawn';
  recordedByName: string;
  recordedAt: string;
  history: TrainingHistoryEntry[];
}

/** One person's training: every course (required or not) and their whole history. */
export interface TrainingPersonPageView {
  access: RegisterAccess;
  person: TrainingPersonView;
  today: string;
  courses: { course: CourseView; status: CourseStatus; required: boolean }[];
  records: TrainingRecordView[];
}

export interface TrainingImportRowView {
  row: number;
  name: string;
  course: string;
  completedOn?: string;
  outcome: 'new' | 'alreadyRecorded' | 'problem';
  problems: string[];
}

export interface TrainingImportCheckView {
  total: number;
  counts: { new: number; alreadyRecorded: number; problem: number };
  rows: TrainingImportRowView[];
  unmatched: string[];
  fileProblem?: string;
}

export type TrainingImportProgress =
  | { stage: 'checked'; total: number; new: number; alreadyRecorded: number; problem: number }
  | { stage: 'importing'; done: number; of: number }
  | { stage: 'done'; imported: number; alreadyRecorded: number; refused: number }
  | { stage: 'failed'; error: string };

export type NameMatchView =
  | { line: string; outcome: 'matched'; personId: string; displayName: string }
  | { line: string; outcome: 'ambiguous'; candidates: { personId: string; displayName: string }[] }
  | { line: string; outcome: 'notFound' };

/** What recording a session did for each person ticked. */
export interface SessionResultView {
  recorded: number;
  alreadyRecorded: number;
  results: { personId: string; name: string; outcome: 'recorded' | 'alreadyRecorded' | 'notStaff' }[];
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
