/** Calls to the tab's API, signed with the Teams SSO token, or (local mode only) the demo person's id. */
import type {
  AlertUploadCheckView,
  AlertUploadProgress,
  CaseListItem,
  CaseListQuery,
  CaseListView,
  CasePageView,
  ChildChronologyView,
  FilteringLineView,
  FilteringLogView,
  ImportCheckView,
  ImportProgress,
  LearnerMatch,
  MeView,
  MyConcernsView,
  MyRecordsView,
  NameMatchView,
  RaiseFormView,
  RaiseResultView,
  RegisterView,
  ReminderProgress,
  SessionResultView,
  TabConfig,
  TrainingImportCheckView,
  TrainingImportProgress,
  TrainingMatrixView,
  TrainingPersonPageView,
  TrainingPersonView,
  TrainingRecordView,
  TransferView,
  TrendsView,
  GovernorsReportView,
} from '../api/view';
import type { AupKind } from '../../core/aup';
import type { EntryDetails } from '../../core/filteringLog';

export type Credentials = { kind: 'teams'; token: () => Promise<string> } | { kind: 'local'; personId: string };

export class ApiError extends Error {
  constructor(message: string, readonly status: number, readonly details: string[] = []) {
    super(message);
  }
}

const BASE = '/api/tab';

export async function fetchConfig(): Promise<TabConfig> {
  const r = await fetch(`${BASE}/config`);
  return (await r.json()) as TabConfig;
}

export async function fetchLocalPeople(): Promise<{ id: string; displayName: string; roles: string[] }[]> {
  const r = await fetch(`${BASE}/local/people`);
  if (!r.ok) throw new ApiError('Local mode is not on.', r.status);
  return ((await r.json()) as { people: { id: string; displayName: string; roles: string[] }[] }).people;
}

export class TabApi {
  constructor(private readonly creds: Credentials) {}

  private async headers(): Promise<Record<string, string>> {
    return this.creds.kind === 'teams' ? { authorization: `Bearer ${await this.creds.token()}` } : { 'x-demo-user': this.creds.personId };
  }

  async raw(path: string, init: RequestInit = {}): Promise<Response> {
    const r = await fetch(`${BASE}${path}`, { ...init, headers: { ...(init.body ? { 'content-type': 'application/json' } : {}), ...(await this.headers()), ...(init.headers as Record<string, string> | undefined) } });
    if (!r.ok) {
      let body: { error?: string; details?: string[] } = {};
      try {
        body = (await r.json()) as typeof body;
      } catch {
        /* not JSON */
      }
      throw new ApiError(body.error ?? `The server answered ${r.status}.`, r.status, body.details ?? []);
    }
    return r;
  }

  private async json<T>(path: string, init: RequestInit = {}): Promise<T> {
    return (await (await this.raw(path, init)).json()) as T;
  }

  me(): Promise<MeView> {
    return this.json('/me');
  }

  register(): Promise<RegisterView> {
    return this.json('/register');
  }

  /** The Trends page: this academic year, or the days asked for (GET /trends). */
  trends(period?: { from: string; to: string }): Promise<TrendsView> {
    return this.json(`/trends${queryString(period ?? {})}`);
  }

  /** The governors' report for a term, by its first day (the latest begun when none is asked). */
  governorsReport(term?: string): Promise<GovernorsReportView> {
    return this.json(`/report${queryString({ term })}`);
  }

  async governorsReportFile(kind: 'pdf' | 'csv', term: string): Promise<Blob> {
    return (await this.raw(`/report.${kind}${queryString({ term })}`)).blob();
  }

  training(): Promise<TrainingMatrixView> {
    return this.json('/training');
  }

  /** The matrix as CSV, filtered as the page is (GET /training.csv). */
  async exportTrainingCsv(query: TrainingCsvQuery): Promise<Blob> {
    return (await this.raw(`/training.csv${queryString(query)}`)).blob();
  }

  trainingPerson(personId: string): Promise<TrainingPersonPageView> {
    return this.json(`/training/people/${encodeURIComponent(personId)}`);
  }

  /** A start date or staff code; null clears it. */
  setTrainingPerson(personId: string, body: { startedOn?: string | null; staffCode?: string | null }): Promise<Pick<TrainingPersonView, 'startedOn' | 'staffCode'>> {
    return this.json(`/training/people/${encodeURIComponent(personId)}`, { method: 'PUT', body: JSON.stringify(body) });
  }

  addTrainingRecord(body: { personId: string; courseId: string } & TrainingDetails): Promise<{ outcome: 'created' | 'alreadyRecorded' }> {
    return this.json('/training/records', { method: 'POST', body: JSON.stringify(body) });
  }

  /** Only the fields changed (null clears one), and why. */
  correctTrainingRecord(key: string, body: TrainingCorrection): Promise<TrainingRecordView> {
    return this.json(`/training/records/${encodeURIComponent(key)}`, { method: 'PATCH', body: JSON.stringify(body) });
  }

  /** Withdraw (entered in error), confirm or reject (a self-report): a reason is required but for confirm. */
  changeTrainingRecordState(key: string, action: 'withdraw' | 'confirm' | 'reject', reason?: string): Promise<TrainingRecordView> {
    return this.json(`/training/records/${encodeURIComponent(key)}/${action}`, { method: 'POST', body: JSON.stringify(reason ? { reason } : {}) });
  }

  pendingTraining(): Promise<{ records: TrainingRecordView[] }> {
    return this.json('/training/pending');
  }

  matchNames(names: string): Promise<{ lines: NameMatchView[] }> {
    return this.json('/training/sessions/match', { method: 'POST', body: JSON.stringify({ names }) });
  }

  recordSession(body: { courseId: string; personIds: string[] } & TrainingDetails): Promise<SessionResultView> {
    return this.json('/training/sessions', { method: 'POST', body: JSON.stringify(body) });
  }

  checkTrainingImport(csv: string): Promise<TrainingImportCheckView> {
    return this.json('/training/import/check', { method: 'POST', body: JSON.stringify({ csv }) });
  }

  runTrainingImport(csv: string, onProgress: (p: TrainingImportProgress) => void): Promise<void> {
    return this.stream('/training/import', { csv }, onProgress);
  }

  /** Reminders to everyone due for one course, or for any (no course). */
  remindTraining(courseId?: string): Promise<ReminderProgress> {
    return this.json('/training/reminders', { method: 'POST', body: JSON.stringify(courseId ? { courseId } : {}) });
  }

  trainingReminderProgress(id: string): Promise<ReminderProgress> {
    return this.json(`/training/reminders/${encodeURIComponent(id)}`);
  }

  /** "I completed this course": waits for the office to confirm it. */
  reportTraining(body: { courseId: string } & TrainingDetails): Promise<{ outcome: 'created' | 'alreadyRecorded' }> {
    return this.json('/my-records/training', { method: 'POST', body: JSON.stringify(body) });
  }

  myRecords(): Promise<MyRecordsView> {
    return this.json('/my-records');
  }

  myDocument(documentId: string): Promise<{ title: string; version: number; text?: string; link?: string }> {
    return this.json(`/my-records/documents/${encodeURIComponent(documentId)}`);
  }

  // "Raise a concern" (tab/api/routes/raise.ts).

  raiseForm(): Promise<RaiseFormView> {
    return this.json('/raise');
  }

  raiseLearners(q: string): Promise<{ learners: LearnerMatch[] }> {
    return this.json(`/raise/learners?q=${encodeURIComponent(q)}`);
  }

  /** The form's fields, named as the chat's card names them; a 400 carries each problem in `details`. */
  raise(fields: Record<string, string>): Promise<RaiseResultView> {
    return this.json('/raise', { method: 'POST', body: JSON.stringify(fields) });
  }

  myConcerns(): Promise<MyConcernsView> {
    return this.json('/raise/mine');
  }

  /** Publishes a new document, or the next version of one (the same documentId). */
  publish(body: { documentId: string; kind: AupKind; title: string; text?: string; link?: string }): Promise<{ documentId: string; version: number; title: string; signedInTeams: boolean }> {
    return this.json('/documents', { method: 'POST', body: JSON.stringify(body) });
  }

  async exportCsv(query: Record<string, string>): Promise<Blob> {
    return (await this.raw(`/register.csv${queryString(query)}`)).blob();
  }

  recordPaper(body: { personId: string; documentId: string; signedOn: string }): Promise<unknown> {
    return this.json('/signatures', { method: 'POST', body: JSON.stringify(body) });
  }

  remind(documentId: string): Promise<ReminderProgress> {
    return this.json('/reminders', { method: 'POST', body: JSON.stringify({ documentId }) });
  }

  reminderProgress(id: string): Promise<ReminderProgress> {
    return this.json(`/reminders/${encodeURIComponent(id)}`);
  }

  syncStaff(): Promise<{ source: 'microsoft365' | 'demo'; added: number; left: number; stale: boolean; learners: { added: number; left: number } | { unavailable: string } }> {
    return this.json('/people/sync', { method: 'POST' });
  }

  checkImport(csv: string): Promise<ImportCheckView> {
    return this.json('/people/import/check', { method: 'POST', body: JSON.stringify({ csv }) });
  }

  /** Streams the import's progress lines to the callback. */
  runImport(csv: string, onProgress: (p: ImportProgress) => void): Promise<void> {
    return this.stream('/people/import', { csv }, onProgress);
  }

  /** POSTs the body and hands each line of the NDJSON answer to the callback as it arrives. */
  private async stream<T>(path: string, body: unknown, onLine: (line: T) => void): Promise<void> {
    const r = await this.raw(path, { method: 'POST', body: JSON.stringify(body) });
    const reader = r.body!.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    for (;;) {
      const { done, value } = await reader.read();
      if (value) buffer += decoder.decode(value, { stream: true });
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl).trim();
        buffer = buffer.slice(nl + 1);
        if (line) onLine(JSON.parse(line) as T);
      }
      if (done) break;
    }
  }

  // The Filtering & monitoring page (tab/api/routes/filtering.ts).

  filteringLog(): Promise<FilteringLogView> {
    return this.json('/filtering');
  }

  addFilteringEntry(details: EntryDetails): Promise<FilteringLineView> {
    return this.json('/filtering/entries', { method: 'POST', body: JSON.stringify({ details }) });
  }

  /** A new entry that corrects entry `id` (the latest version of its line), and why. */
  correctFilteringEntry(id: string, details: EntryDetails, reason: string): Promise<FilteringLineView> {
    return this.json(`/filtering/entries/${encodeURIComponent(id)}/corrections`, { method: 'POST', body: JSON.stringify({ details, reason }) });
  }

  async exportFilteringLog(): Promise<Blob> {
    return (await this.raw('/filtering.csv')).blob();
  }

  checkAlertUpload(csv: string, system: string): Promise<AlertUploadCheckView> {
    return this.json('/filtering/alerts/check', { method: 'POST', body: JSON.stringify({ csv, system }) });
  }

  runAlertUpload(csv: string, system: string, onProgress: (p: AlertUploadProgress) => void): Promise<void> {
    return this.stream('/filtering/alerts', { csv, system }, onProgress);
  }

  // The Cases page (tab/api/routes/cases.ts).

  cases(query: CaseListQuery = {}): Promise<CaseListView> {
    const qs = new URLSearchParams(Object.entries(query).filter(([, v]) => v !== undefined && v !== '').map(([k, v]) => [k, String(v)])).toString();
    return this.json(`/cases${qs ? `?${qs}` : ''}`);
  }

  retention(): Promise<{ until: string; cases: CaseListItem[] }> {
    return this.json('/cases/retention');
  }

  casePage(reference: string): Promise<CasePageView> {
    return this.json(`/cases/${encodeURIComponent(reference)}`);
  }

  /** One change to a case: acknowledge, actions, next-step, reassign, close, reopen. The case as it now is. */
  changeCase(reference: string, change: 'acknowledge' | 'actions' | 'next-step' | 'reassign' | 'close' | 'reopen', body: Record<string, unknown> = {}): Promise<CasePageView> {
    return this.json(`/cases/${encodeURIComponent(reference)}/${change}`, { method: 'POST', body: JSON.stringify(body) });
  }

  linkLearner(reference: string, index: number, learnerId: string): Promise<CasePageView> {
    return this.json(`/cases/${encodeURIComponent(reference)}/learners/${index}/link`, { method: 'POST', body: JSON.stringify({ learnerId }) });
  }

  learners(q: string): Promise<{ learners: LearnerMatch[] }> {
    return this.json(`/learners?q=${encodeURIComponent(q)}`);
  }

  childChronology(learnerId: string): Promise<ChildChronologyView> {
    return this.json(`/learners/${encodeURIComponent(learnerId)}/chronology`);
  }

  recordTransfer(learnerId: string, body: { destinationSchool: string; destinationContact?: string; method: string; sentOn: string }): Promise<TransferView> {
    return this.json(`/learners/${encodeURIComponent(learnerId)}/transfers`, { method: 'POST', body: JSON.stringify(body) });
  }

  recordReceipt(learnerId: string, transferId: string, body: { receivedOn: string; confirmedBy: string }): Promise<TransferView> {
    return this.json(`/learners/${encodeURIComponent(learnerId)}/transfers/${encodeURIComponent(transferId)}/receipt`, { method: 'POST', body: JSON.stringify(body) });
  }

  /** The child's whole record as a PDF (with a transfer's details when one is named). */
  async childRecordPdf(learnerId: string, transferId?: string): Promise<Blob> {
    return (await this.raw(`/learners/${encodeURIComponent(learnerId)}/record.pdf${transferId ? `?transfer=${encodeURIComponent(transferId)}` : ''}`)).blob();
  }
}

/** A training record's details as the forms send them (evidence: a link or a certificate number). */
export interface TrainingDetails {
  completedOn: string;
  provider?: string;
  hours?: number;
  evidence?: string;
}

export interface TrainingCorrection {
  completedOn?: string;
  provider?: string | null;
  hours?: number | null;
  evidence?: string | null;
  reason: string;
}

export type TrainingCsvQuery = {
  courseId?: string;
  status?: string;
  role?: string;
  search?: string;
};

/** "?a=1&b=2" of the values given, or "" when none is. */
function queryString(query: Record<string, string | undefined>): string {
  const qs = new URLSearchParams(Object.entries(query).filter((e): e is [string, string] => !!e[1])).toString();
  return qs ? `?${qs}` : '';
}

/** What to tell the person when a call failed: the server's message and, for a form, what was wrong. */
export function problemText(e: unknown): string {
  return e instanceof ApiError && e.details.length ? `${e.message} ${e.details.join(' ')}` : (e as Error).message;
}
