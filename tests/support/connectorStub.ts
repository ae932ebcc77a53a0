/**
 * A stand-in for the Bot Framework Connector (the service Teams' bots post to), speaking its REST
 * shapes: create conversation, send, reply, update. It records everything the bot sends.
 */
import { startStub, type StubReply, type StubServer } from './http';

export interface SentActivity {
  kind: 'send' | 'reply' | 'update' | 'delete';
  conversationId: string;
  activityId: string;
  activity: Record<string, any>;
  authorization?: string;
  /** performance.now() when the stub received it. */
  at: number;
}

export interface ConnectorStub extends StubServer {
  sent: SentActivity[];
  created: Record<string, any>[];
  /** While true, messages sent are taken but never answered (the sender hangs); counted in `held`. */
  hold: boolean;
  held: number;
  /** A throttling storm: this share of calls (0–1) is answered 429 with Retry-After. */
  storm: { rate: number; retryAfterSeconds: number };
  /** How many calls were refused by the storm. */
  throttled: number;
  /** Fail the next n calls with this status (and Retry-After seconds, for 429). */
  failNext(n: number, status: number, retryAfterSeconds?: number): void;
  waitFor(predicate: (all: SentActivity[]) => boolean, timeoutMs?: number): Promise<SentActivity[]>;
  /** Called with each activity as it arrives (benchmarks wait on this instead of polling). */
  onSent(listener: (s: SentActivity) => void): () => void;
  cardsTo(conversationId: string): SentActivity[];
}

export async function startConnectorStub(): Promise<ConnectorStub> {
  const sent: SentActivity[] = [];
  const created: Record<string, any>[] = [];
  let counter = 0;
  let failures: { n: number; status: number; retryAfter?: number } = { n: 0, status: 0 };

  const listeners = new Set<(s: SentActivity) => void>();
  const record = (s: SentActivity) => {
    sent.push(s);
    for (const l of listeners) l(s);
  };
  const control = { hold: false, held: 0, storm: { rate: 0, retryAfterSeconds: 1 }, throttled: 0 };
  const server = await startStub((req): StubReply | Promise<StubReply> => {
    if (control.storm.rate > 0 && Math.random() < control.storm.rate) {
      control.throttled++;
      return { status: 429, body: { error: { code: 'Throttled', message: 'storm' } }, headers: { 'retry-after': String(control.storm.retryAfterSeconds) } };
    }
    if (control.hold && req.method === 'POST' && /\/activities(\/|$)/.test(req.path)) {
      control.held++;
      return new Promise<StubReply>(() => undefined);
    }
    if (failures.n > 0) {
      failures.n--;
      return { status: failures.status, body: { error: { code: 'Throttled', message: 'stub failure' } }, headers: failures.retryAfter !== undefined ? { 'retry-after': String(failures.retryAfter) } : {} };
    }
    const parts = req.path.split('/').filter(Boolean); // v3 conversations :id activities :aid
    if (parts[0] !== 'v3' || parts[1] !== 'conversations') return { status: 404, body: { error: { code: 'NotFound' } } };
    const auth = req.headers.authorization;
    if (req.method === 'POST' && parts.length === 2) {
      const params = req.body as Record<string, any>;
      created.push(params);
      const member = params?.members?.[0]?.id ?? 'unknown';
      return { status: 201, body: { id: `a:personal-${member}` } };
    }
    const conversationId = parts[2];
    const activityId = parts[4];
    const activity = (req.body ?? {}) as Record<string, any>;
    if (req.method === 'POST' && parts[3] === 'activities') {
      const id = `act-${++counter}`;
      record({ kind: activityId ? 'reply' : 'send', conversationId, activityId: id, activity, authorization: auth, at: performance.now() });
      return { status: 201, body: { id } };
    }
    if (req.method === 'PUT' && activityId) {
      record({ kind: 'update', conversationId, activityId, activity, authorization: auth, at: performance.now() });
      return { status: 200, body: { id: activityId } };
    }
    if (req.method === 'DELETE' && activityId) {
      record({ kind: 'delete', conversationId, activityId, activity, authorization: auth, at: performance.now() });
      return { status: 200, body: {} };
    }
    return { status: 404, body: { error: { code: 'NotFound' } } };
  });

  const stub: ConnectorStub = {
    ...server,
    get hold() {
      return control.hold;
    },
    set hold(v: boolean) {
      control.hold = v;
    },
    get held() {
      return control.held;
    },
    get storm() {
      return control.storm;
    },
    set storm(v: { rate: number; retryAfterSeconds: number }) {
      control.storm = v;
    },
    get throttled() {
      return control.throttled;
    },
    sent,
    created,
    failNext(n, status, retryAfterSeconds) {
      failures = { n, status, retryAfter: retryAfterSeconds };
    },
    async waitFor(predicate, timeoutMs = 8000) {
      const until = Date.now() + timeoutMs;
      while (!predicate(sent)) {
        if (Date.now() > until) throw new Error(`connector stub: condition not met within ${timeoutMs} ms; sent so far:\n${JSON.stringify(sent.map((s) => ({ kind: s.kind, conversationId: s.conversationId, text: s.activity.text })), null, 1)}`);
        await new Promise((r) => setTimeout(r, 20));
      }
      return sent;
    },
    onSent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    cardsTo(conversationId) {
      return sent.filter((s) => s.conversationId === conversationId && s.activity.attachments?.length);
    },
  };
  return stub;
}
