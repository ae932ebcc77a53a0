/** Calls to the tab's API, signed with the Teams SSO token, or (local mode only) the demo person's id. */
import type { CaseListItem, CaseListQuery, CaseListView, CasePageView, ChildChronologyView, ImportCheckView, ImportProgress, LearnerMatch, MeView, MyRecordsView, RegisterView, ReminderProgress, TabConfig, TrainingMatrixView, TransferView } from '../api/view';
import type { AupKind } from '../../core/aup';

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

  training(): Promise<TrainingMatrixView> {
    return this.json('/training');
  }

  myRecords(): Promise<MyRecordsView> {
    return this.json('/my-records');
  }

  myDocument(documentId: string): Promise<{ title: string; version: number; text?: string; link?: string }> {
    return this.json(`/my-records/documents/${encodeURIComponent(documentId)}`);
  }

  /** Publishes a new document, or the next version of one (the same documentId). */
  publish(body: { documentId: string; kind: AupKind; title: string; text?: string; link?: string }): Promise<{ documentId: string; version: number; title: string; signedInTeams: boolean }> {
    return this.json('/documents', { method: 'POST', body: JSON.stringify(body) });
  }

  async exportCsv(query: Record<string, string>): Promise<Blob> {
    const qs = new URLSearchParams(Object.entries(query).filter(([, v]) => v)).toString();
    return (await this.raw(`/register.csv${qs ? `?${qs}` : ''}`)).blob();
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
  async runImport(csv: string, onProgress: (p: ImportProgress) => void): Promise<void> {
    const r = await this.raw('/people/import', { method: 'POST', body: JSON.stringify({ csv }) });
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
        if (line) onProgress(JSON.parse(line) as ImportProgress);
      }
      if (done) break;
    }
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
