/**
 * What the bot's handlers and the tab's routes work with: built once by the composition root
 * (app/server.ts). Plain interfaces of each part; no SDK is reachable from here except through them.
 */
import type { PendingConcern } from '../cases/intake';
import type { SchoolSetup } from '../config/schema';
import type { Settings } from '../config/settings';
import type { Directory } from '../directory/directory';
import type { RoleResolver } from '../directory/roleResolver';
import type { Outbox } from '../delivery/outbox';
import type { AuditStore } from '../store/auditStore';
import type { AupStore } from '../store/aupStore';
import type { CaseFactsStore } from '../store/caseFactsStore';
import type { CaseStore } from '../store/caseStore';
import type { ChronologyStore } from '../store/chronologyStore';
import type { ConversationStore } from '../store/conversationStore';
import type { FilteringLogStore } from '../store/filteringLogStore';
import type { NewCaseStore } from '../store/newCaseStore';
import type { OutboxStore } from '../store/outboxStore';
import type { ReminderStore } from '../store/reminderStore';
import type { Spool } from '../store/spool';
import type { TrainingStore } from '../store/trainingStore';
import type { TransferStore } from '../store/transferStore';
import type { Log } from './log';

/** Everything stored, one store per kind of record. */
export interface Stores {
  cases: CaseStore;
  /** The cases' anonymous facts, for the trends and the governors' report. */
  caseFacts: CaseFactsStore;
  newCases: NewCaseStore;
  chronology: ChronologyStore;
  outbox: OutboxStore;
  conversations: ConversationStore;
  audit: AuditStore;
  aup: AupStore;
  reminders: ReminderStore;
  training: TrainingStore;
  transfers: TransferStore;
  filteringLog: FilteringLogStore;
}

export interface Services {
  setup: SchoolSetup;
  settings: Settings;
  stores: Stores;
  directory: Directory;
  /** Who holds each role now (Graph, or the last lookup when Graph cannot be reached). */
  roles: RoleResolver;
  /** The one way the product reaches a person in Teams: owed messages, and cards sent now. */
  outbox: Outbox;
  /** Concerns kept on disk while storage is unreachable (cases/intake.ts). */
  spool: Spool<PendingConcern>;
  log: Log;
  clock: () => Date;
  /** Told of every new acknowledgement deadline, so that escalation fires on time (cases/escalator.ts). */
  deadlines: Deadlines;
}

/** Who is told when a case gets a new acknowledgement deadline. */
export class Deadlines {
  private readonly listeners = new Set<(deadline: string) => void>();

  onSet(listener: (deadline: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  set(deadline: string | undefined): void {
    if (deadline) for (const l of this.listeners) l(deadline);
  }
}

/** The person pressing a button, sending a message or calling the tab's API, as Teams vouches for them. */
export interface Actor {
  id: string;
  name: string;
  tenantId: string;
}
