/** What a fuzz case is, and what the fixtures give the generators to name (real references, records...). */
import type { PEOPLE } from './people';

export type EdgeId = 'activities' | 'tab' | 'csv' | 'alerts' | 'setup';

export interface FuzzRequest {
  method: string;
  /** Path and query as sent, already encoded (or not) as the case wants. */
  path: string;
  headers: Record<string, string>;
  body?: string;
  /** Graph is unreachable while this case runs: a 502/503 with a message is then a right answer. */
  graphDown?: boolean;
}

export interface HttpCase {
  label: string;
  /** The route as written in the code, so that failures group by route, not by the odd id sent. */
  route: string;
  request: FuzzRequest;
}

/** The real things the fuzz starts with, made through the product itself before the first case. */
export interface FuzzFixtures {
  people: typeof PEOPLE;
  connectorUrl: string;
  /** Case references: the first is with the Prep DSL, the second with the Headteacher. */
  references: string[];
  /** Concern forms issued and not yet submitted. */
  formIds: string[];
  documentIds: string[];
  /** Training record keys: confirmed, and a self-report waiting. */
  recordKeys: string[];
  reminderIds: string[];
  /** Register people added by the office (not from Microsoft 365). */
  registerIds: string[];
  /** A valid Bot Framework token for a request whose activity has this serviceUrl. */
  botToken(serviceUrl: string): Promise<string>;
  /** Authorization headers the bot must refuse (forged, expired, other audience, garbage). */
  badBotAuth: string[];
  /** SSO tokens: a keeper (office staff), a reader (a DSL), a member of staff, the Headteacher and technical staff. */
  tabAuth: { keeper: string; reader: string; staff: string; head: string; tech: string };
  /** The server's clock (signatures carry its time). */
  now(): Date;
  /** Headers the tab must refuse (forged, expired, other tenant, no scope, garbage, the demo header). */
  badTabHeaders: Record<string, string>[];
}
