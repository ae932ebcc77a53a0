/**
 * A stand-in for Microsoft Graph (and the App Service managed-identity token endpoint that
 * @azure/identity asks for a Graph token), speaking their REST shapes: group members with paging
 * (@odata.nextLink on the real Graph host, as Graph does), and the Teams app installation calls.
 */
import { startStub, type StubReply, type StubServer } from './http';

export const STUB_TOKEN = 'stub-graph-token';
export const IDENTITY_HEADER = 'stub-identity-header';

export interface GraphStub extends StubServer {
  /** Group id → members, as Graph returns them. */
  groups: Map<string, { id: string; displayName: string; mail?: string | null; userPrincipalName?: string }[]>;
  pageSize: number;
  down: boolean;
  /** While true, Graph takes requests and never answers (a hung service, not a refusing one). */
  hang: boolean;
  requests: { method: string; path: string }[];
  installs: string[];
  /** School Data Sync learners (`/education/users`); with `education` false the tenant has none (403). */
  learners: { id: string; displayName: string; grade?: string }[];
  education: boolean;
  /** Activity-feed notifications sent, with the person they were for. */
  notifications: { userId: string; body: any }[];
}

export async function startGraphStub(): Promise<GraphStub> {
  const stub = {
    groups: new Map<string, { id: string; displayName: string; mail?: string | null; userPrincipalName?: string }[]>(),
    pageSize: 100,
    down: false,
    hang: false,
    requests: [] as { method: string; path: string }[],
    installs: [] as string[],
    notifications: [] as { userId: string; body: any }[],
    learners: [] as { id: string; displayName: string; grade?: string }[],
    education: false,
  };
  const installed = new Set<string>();
  const server = await startStub((req): StubReply | Promise<StubReply> => {
    if (req.path === '/msi/token') {
      if (req.headers['x-identity-header'] !== IDENTITY_HEADER) return { status: 401, body: { error: 'bad identity header' } };
      return { status: 200, body: { access_token: STUB_TOKEN, expires_on: String(Math.floor(Date.now() / 1000) + 3600), resource: req.query.get('resource'), token_type: 'Bearer' } };
    }
    if (stub.down) return 'drop';
    if (stub.hang) return new Promise<StubReply>(() => undefined);
    stub.requests.push({ method: req.method, path: req.path });
    if (req.headers.authorization !== `Bearer ${STUB_TOKEN}`) return { status: 401, body: { error: { code: 'InvalidAuthenticationToken', message: 'no token' } } };

    let m = req.path.match(/^\/v1\.0\/groups\/([^/]+)\/transitiveMembers\/microsoft\.graph\.user$/);
    if (m && req.method === 'GET') {
      const members = stub.groups.get(m[1]);
      if (!members) return { status: 404, body: { error: { code: 'Request_ResourceNotFound', message: 'no such group' } } };
      const skip = Number(req.query.get('$skiptoken') ?? 0);
      const page = members.slice(skip, skip + stub.pageSize);
      const next = skip + stub.pageSize < members.length
        ? `https://graph.microsoft.com/v1.0/groups/${m[1]}/transitiveMembers/microsoft.graph.user?$select=id,displayName&$skiptoken=${skip + stub.pageSize}`
        : undefined;
      return { status: 200, body: { value: page, ...(next ? { '@odata.nextLink': next } : {}) } };
    }
    m = req.path.match(/^\/v1\.0\/users\/([^/]+)\/teamwork\/installedApps$/);
    if (m && req.method === 'POST') {
      stub.installs.push(m[1]);
      if (installed.has(m[1])) return { status: 409, body: { error: { code: 'Conflict', message: 'already installed' } } };
      installed.add(m[1]);
      return { status: 201, body: {} };
    }
    if (m && req.method === 'GET') {
      return { status: 200, body: { value: installed.has(m[1]) ? [{ id: `installation-${m[1]}` }] : [] } };
    }
    if (req.path === '/v1.0/education/users' && req.method === 'GET') {
      if (!stub.education) return { status: 403, body: { error: { code: 'Forbidden', message: 'no education licence' } } };
      const skip = Number(req.query.get('$skiptoken') ?? 0);
      const page = stub.learners.slice(skip, skip + stub.pageSize).map((l) => ({ id: l.id, displayName: l.displayName, student: { grade: l.grade } }));
      const next = skip + stub.pageSize < stub.learners.length ? `https://graph.microsoft.com/v1.0/education/users?$skiptoken=${skip + stub.pageSize}` : undefined;
      return { status: 200, body: { value: page, ...(next ? { '@odata.nextLink': next } : {}) } };
    }
    m = req.path.match(/^\/v1\.0\/users\/([^/]+)\/teamwork\/sendActivityNotification$/);
    if (m && req.method === 'POST') {
      stub.notifications.push({ userId: m[1], body: req.body });
      return { status: 204 };
    }
    m = req.path.match(/^\/v1\.0\/users\/([^/]+)\/teamwork\/installedApps\/([^/]+)\/chat$/);
    if (m && req.method === 'GET') return { status: 200, body: { id: `19:personal-chat-${m[1]}` } };
    return { status: 404, body: { error: { code: 'NotFound', message: req.path } } };
  });
  return Object.assign(stub, server);
}
