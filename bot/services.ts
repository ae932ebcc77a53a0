import type { SchoolSetup } from '../config/schema';
import type { Directory } from '../directory/directory';
import type { Tables } from '../store/tables';
import type { TeamsChannel } from './channel';
import type { Settings } from './settings';
import type { AuditStore } from '../store/auditStore';
import type { Spool } from '../store/spool';
import type { PendingConcern } from './concernIntake';
import type { CaseStore } from '../store/caseStore';
import type { ConversationStore } from '../store/conversationStore';
import type { Log } from './log';
import type { Outbox } from './outbox';
import type { RoleResolver } from './roleResolver';

/** What the bot's handlers work with. Built once in app.ts. */
export interface Services {
  setup: SchoolSetup;
  settings: Settings;
  tables: Tables;
  channel: TeamsChannel;
  directory: Directory;
  cases: CaseStore;
  conversations: ConversationStore;
  audit: AuditStore;
  /** Concerns kept on disk while storage is unreachable. */
  spool: Spool<PendingConcern>;
  roles: RoleResolver;
  outbox: Outbox;
  log: Log;
  clock: () => Date;
}

/** The person pressing a button or sending a message, as Teams vouches for them. */
export interface Actor {
  id: string;
  name: string;
  tenantId: string;
}

/** Where the card that was pressed lives (for the reporter's receipt). */
export interface CardPlace {
  conversationId?: string;
  activityId?: string;
  serviceUrl?: string;
}

export type ActionResult =
  | { kind: 'card'; card: object }
  | { kind: 'message'; text: string }
  | { kind: 'error'; status: 400 | 403 | 404 | 503; message: string };
