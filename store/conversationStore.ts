/** How the bot reaches each person in their 1:1 chat: the conversation reference Teams gave us. */
import { isKeySafe, json, keyPart, readOrUndefined, isStatus, type Tables } from './tables';

/**
 * A Bot Framework conversation reference, as plain data: where a person's chat with the bot is and
 * through which connector (delivery/channel.ts turns it into botbuilder's own type).
 */
export interface ConversationRef {
  channelId?: string;
  serviceUrl?: string;
  conversation?: { id: string; conversationType?: string; tenantId?: string; isGroup?: boolean; name?: string };
  bot?: { id: string; name?: string };
  user?: { id: string; name?: string; aadObjectId?: string };
  locale?: string;
}

export class ConversationStore {
  /** What this instance last wrote for each person: only a write-avoidance cache. */
  private readonly lastWritten = new Map<string, string>();
  /** Recently read references, so a burst of concerns does not read the same DSL's row each time. */
  private readonly recent = new Map<string, { at: number; reference: ConversationRef }>();
  private static readonly READ_CACHE_MS = 60_000;
  constructor(private readonly tables: Tables) {}

  /** Saves the reference unless this instance has just written the same one. */
  async remember(tenantId: string, userId: string, reference: ConversationRef): Promise<void> {
    const key = `${tenantId}|${userId}`;
    const value = JSON.stringify(reference);
    if (this.lastWritten.get(key) === value) return;
    await this.save(tenantId, userId, reference);
    if (this.lastWritten.size > 10000) this.lastWritten.clear();
    this.lastWritten.set(key, value);
  }

  async save(tenantId: string, userId: string, reference: ConversationRef): Promise<void> {
    this.recent.delete(`${tenantId}|${userId}`);
    await this.tables.Conversations.upsertEntity(
      { partitionKey: keyPart(tenantId || 'none', 'the tenant id'), rowKey: keyPart(userId, 'the user id'), reference: JSON.stringify(reference), serviceUrl: reference.serviceUrl ?? '', updatedAt: new Date().toISOString() },
      'Replace',
    );
  }

  /** The stored conversation no longer works (app removed, chat gone): reach the person afresh next time. */
  async forget(tenantId: string, userId: string): Promise<void> {
    const key = `${tenantId}|${userId}`;
    this.recent.delete(key);
    this.lastWritten.delete(key);
    if (!isKeySafe(tenantId || 'none') || !isKeySafe(userId)) return;
    try {
      await this.tables.Conversations.deleteEntity(tenantId || 'none', userId);
    } catch (err) {
      if (!isStatus(err, 404)) throw err;
    }
  }

  async get(tenantId: string, userId: string): Promise<ConversationRef | undefined> {
    const key = `${tenantId}|${userId}`;
    const hit = this.recent.get(key);
    if (hit && Date.now() - hit.at < ConversationStore.READ_CACHE_MS) return hit.reference;
    if (!isKeySafe(tenantId || 'none') || !isKeySafe(userId)) return undefined;
    const e = await readOrUndefined(() => this.tables.Conversations.getEntity<{ reference: string }>(tenantId || 'none', userId));
    const reference = e && json<ConversationRef | undefined>(e.reference, undefined);
    if (reference) {
      if (this.recent.size > 10000) this.recent.clear();
      this.recent.set(key, { at: Date.now(), reference });
    }
    return reference;
  }
}
