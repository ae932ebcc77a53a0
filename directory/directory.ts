/** The school's people and roles, as the rest of the code sees them. Graph or the demo school behind it. */
import type { Person, Role, RoleMembers } from '../core/roles';

export interface Directory {
  /** Where people and roles come from: the tenant's Microsoft 365 (Graph), or the demo school (local runs). */
  readonly source: 'microsoft365' | 'demo';
  /** Who is in each role's group now. Throws DirectoryUnavailableError when it cannot be asked. */
  membersOf(roles: Role[]): Promise<RoleMembers>;
  /**
   * Installs the app in a person's personal scope (so the bot can write to them) and returns the id of
   * their 1:1 chat with the bot, or undefined when this directory cannot install apps.
   */
  installBotFor(userId: string): Promise<string | undefined>;
  /**
   * Raises a Teams activity-feed notification for the person (urgent cases), opening `webUrl` (a deep
   * link to the case's page in the tab) when given. False when this directory cannot (no Graph).
   */
  notifyActivity(userId: string, notification: ActivityNotification): Promise<boolean>;
  /**
   * Learners from the tenant's education data (School Data Sync), or undefined when the tenant has
   * none (or this directory cannot ask): the school then imports learners by CSV.
   */
  learners(): Promise<DirectoryLearner[] | undefined>;
}

export interface ActivityNotification {
  activityType: string;
  preview: string;
  reference: string;
  /** A Teams deep link to the tab's page the notification opens; '' for the app itself. */
  webUrl?: string;
}

export interface DirectoryLearner extends Person {
  /** The grade as the education data gives it (see core/phases.ts yearGroupOfGrade). */
  grade?: string;
}

export class DirectoryUnavailableError extends Error {}
