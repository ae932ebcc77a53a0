/**
 * What the tab's pages receive: the shapes of the API's answers. The page imports this file too, so it
 * imports nothing but core/ types.
 */
import type { CurrentDocument, RegisterAccess, RegisterCell, RegisterRow } from '../../core/aup';
import type { Role } from '../../core/roles';
import type { TabPageId } from '../../core/tabPages';
import type { CourseStatus, TrainingCounts } from '../../core/training';
import type { GovernorsReport } from '../../core/report';
import type { PeriodChoice, Trends } from '../../core/trends';
import type { Receipt, ReporterConcern } from '../../core/receipt';
import type { EntryDetails, ReviewStatus } from '../../core/filteringLog';

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
  /** Due, but not reachable in Teams (no Microsoft 365 account): to be told another way. */
  notInTeams: string[];
}

/** A reminder run as the page shows its progress. */
export function toReminderProgress(run: { id: string; subject: { id: string; version: number }; total: number; sent: number; failed: number; status: 'running' | 'done'; startedAt: string; finishedAt?: string; notInTeams: string[] }): ReminderProgress {
  return { id: run.id, documentId: run.subject.id, version: run.subject.version, total: run.total, sent: run.sent, failed: run.failed, status: run.status, startedAt: run.startedAt, finishedAt: run.finishedAt, notInTeams: run.notInTeams };
}

/** A case as the case list shows it (PRODUCT.md §6): what it is, about whom, where it stands. */
export interface CaseListItem {
  reference: string;
  categoryId: string;
  categoryTitle: string;
  /** About a member of staff: allegation, low-level concern, staff at risk (the Headteacher's alone). */
  aboutStaff: boolean;
  phases: string[];
  phaseLabel: string;
  status: 'open' | 'acknowledged' | 'closed';
  urgent: boolean;
  createdAt: string;
  reporterName: string;
  learners: { name: string; yearGroup?: string; learnerId?: string }[];
  /** Who has it now. */
  holders: { id: string; name: string }[];
  acknowledgedAt?: string;
  /** Past its deadline and not acknowledged. */
  overdueAcknowledgement: boolean;
  nextStep?: { dueOn: string; ownerName: string; ownerId: string; overdue: boolean };
  closedDecision?: string;
  retentionReviewOn?: string;
  /** For concerns about a member of staff (seen by the Headteacher, or the Chair): who it is about. */
  staffInvolvedName?: string;
}

/** What the case list is asked for (every filter optional; `q` a reference or a learner's name). */
export interface CaseListQuery {
  status?: 'open' | 'acknowledged' | 'closed' | 'notClosed';
  category?: string;
  phase?: string;
  yearGroup?: string;
  /** A holder's id: the cases with them now. */
  owner?: string;
  overdue?: 'nextStep' | 'acknowledgement' | 'any';
  /** YYYY-MM-DD, on the day it was raised. */
  from?: string;
  to?: string;
  q?: string;
  offset?: number;
  limit?: number;
}

export interface CaseListView {
  today: string;
  /** The page of cases asked for, newest first. */
  cases: CaseListItem[];
  /** How many match the filters (of which `cases` is one page). */
  matched: number;
  offset: number;
  limit: number;
  /** Over every case this person may read, whatever the filters. */
  counts: { all: number; open: number; acknowledged: number; closed: number; overdueNextSteps: number; overdueAcknowledgements: number };
  /** Child-protection files sent with no receipt after 5 school days (for those who send them). */
  overdueTransfers: { learnerId: string; learnerName: string; destinationSchool: string; sentOn: string; receiptDueOn: string }[];
  categories: { id: string; title: string }[];
  phases: { id: string; name: string }[];
  yearGroups: string[];
  /** The people who hold any case this person may read (the owner filter's choices). */
  owners: { id: string; name: string }[];
}

export interface CaseChronologyLine {
  at: string;
  kind: string;
  byName?: string;
  summary: string;
  /** A note or reason written with it (the DSL's own words). */
  note?: string;
}

/** One case in full, for someone allowed to read it; `canAct` when they are one of those it is with. */
export interface CasePageView {
  reference: string;
  category: { id: string; title: string; policy: string };
  aboutStaff: boolean;
  phaseLabel: string;
  status: 'open' | 'acknowledged' | 'closed';
  urgent: boolean;
  createdAt: string;
  reporterName: string;
  concern: {
    learners: { name: string; yearGroup?: string; learnerId?: string; dateOfBirth?: string }[];
    whatHappened: string;
    happenedOn: string;
    happenedAt?: string;
    where: string;
    device: string;
    url?: string;
    /** Raised with "Report as a concern" on a Teams message: its link and sender (never its images or files). */
    reportedMessage?: { link?: string; author?: string };
    immediateDanger: boolean;
    actionsTaken?: string;
    staffInvolvedName?: string;
  };
  holders: { id: string; name: string; role: string }[];
  formerHolders: { id: string; name: string; role: string }[];
  acknowledged?: { byName: string; at: string };
  deadline?: string;
  escalationLevel: number;
  directoryStale: boolean;
  chronology: CaseChronologyLine[];
  checklist: { item: string; done: boolean }[];
  actionChoices: string[];
  noteRequired: string[];
  nextStep?: { what: string; ownerId: string; ownerName: string; dueOn: string; overdue: boolean; setByName: string };
  closure?: { decision: string; reason: string; outcome: string; lessonsLearnt: string; closedByName: string; closedAt: string };
  retentionReviewOn?: string;
  canAct: boolean;
  reassignTargets: { value: string; title: string }[];
  decisions: string[];
}

export interface TransferView {
  id: string;
  destinationSchool: string;
  destinationContact?: string;
  method: string;
  sentOn: string;
  sentByName: string;
  receiptDueOn: string;
  receipt?: { receivedOn: string; confirmedBy: string; recordedByName: string };
  overdue: boolean;
}

/** A child's chronology: every concern, action, referral and transfer about them, in time order. */
export interface ChildChronologyView {
  learner: { id: string; name: string; yearGroup?: string; dateOfBirth?: string; inRoster: boolean };
  entries: { at: string; reference?: string; kind: string; summary: string; byName?: string; note?: string }[];
  cases: { reference: string; categoryTitle: string; status: string; createdAt: string }[];
  transfers: TransferView[];
  canTransfer: boolean;
  methods: string[];
}

export interface LearnerMatch {
  id: string;
  name: string;
  yearGroup?: string;
}

/** The Trends page (core/trends.ts): counts for the period, never a name or a word anyone typed. */
export interface TrendsView extends Trends {
  today: string;
  /** The periods the page offers (this academic year, the last two, the school's terms). */
  choices: PeriodChoice[];
}

/** The governors' report page: the school's terms to choose from, and the chosen term's report (core/report.ts). */
export interface GovernorsReportView {
  terms: { id: string; name: string; start: string; end: string }[];
  /** Absent when the school's setup names no terms. */
  report?: GovernorsReport & { termId: string };
}

/**
 * "Raise a concern": what the form needs besides the categories (core/categories.ts, read by the page
 * itself): the school's year groups, its staff (for the member of staff concerned), today, the limits.
 */
export interface RaiseFormView {
  schoolName: string;
  today: string;
  yearGroups: { value: string; title: string }[];
  locations: { value: string; title: string }[];
  devices: { value: string; title: string }[];
  staff: { id: string; displayName: string }[];
  limits: { whatHappened: number; actionsTaken: number; learnerName: number; url: number };
}

/** What sending the form answers (a 400 carries the problems as `details` instead). */
export type RaiseResultView =
  /** `note`: said when the same form was sent again (one case, whatever the retries). */
  | { outcome: 'stored'; receipt: Receipt; note: string }
  | { outcome: 'spooled'; title: string; lines: string[] };

/** "My concerns": the reporter's own concerns, newest first; what the receipt shows and no more. */
export interface MyConcernsView {
  concerns: ReporterConcern[];
}
// The filtering and monitoring log (tab/api/routes/filtering.ts).

/** One version of a log entry as the page shows it. */
export interface FilteringEntryView {
  id: string;
  details: EntryDetails;
  recordedAt: string;
  recordedByName: string;
  corrects?: string;
  correctionReason?: string;
}

/** A line of the log: its latest version, and the versions it replaced (oldest first). */
export interface FilteringLineView {
  id: string;
  current: FilteringEntryView;
  history: FilteringEntryView[];
}

/** Concerns of one category counted beside the log: counts only, never who. */
export interface ConcernCountView {
  category: 'filteringBreach' | 'monitoringAlert';
  title: string;
  thisYear: number;
  lastYear: number;
  open: number;
}

export interface FilteringLogView {
  /** May record entries and upload alerts (technical staff, the OSL). */
  canKeep: boolean;
  today: string;
  /** "2026/27" and "2025/26". */
  academicYears: { this: string; last: string };
  /** From the school's setup (the DfE standards' named senior leader and governor). */
  seniorLeader?: { name: string; role: string };
  governor?: { name: string; role: string };
  filteringSystem?: string;
  monitoringSystem?: { id: string; title: string };
  riskThreshold: number;
  review: ReviewStatus;
  lines: FilteringLineView[];
  counts: ConcernCountView[];
  /** Monitoring alerts below the threshold: logged, not cased. */
  belowThreshold: { thisYear: number; lastYear: number };
  systems: { id: string; title: string }[];
}

/** One row of an uploaded alert export, and what committing it would do. */
export interface AlertRowView {
  row: number;
  alertId: string;
  occurredAt?: string;
  risk?: number;
  outcome: 'newCase' | 'alreadyReceived' | 'belowThreshold' | 'repeated' | 'problem';
  /** Whether the learner is on the roster (never who). */
  learner?: 'onRoster' | 'nameOnly' | 'notFound' | 'none';
  problems: string[];
}

export interface AlertUploadCheckView {
  system: string;
  total: number;
  counts: { newCase: number; alreadyReceived: number; belowThreshold: number; repeated: number; problem: number };
  rows: AlertRowView[];
  ignoredColumns: string[];
  droppedImages: string[];
  fileProblem?: string;
}

export type AlertUploadProgress =
  | { stage: 'checked'; total: number; toTake: number }
  | { stage: 'taking'; done: number; of: number }
  | { stage: 'done'; created: number; alreadyReceived: number; belowThreshold: number; refused: number }
  | { stage: 'failed'; error: string };
