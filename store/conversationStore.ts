/** How the bot reaches each person in their 1:1 chat: the conversation reference Teams gave us. */
import type { ConversationReference } from 'botbuilder';
import { isStatus, json, type Tables } from './tables';

export class ConversationStore {
  constructor(private readonly tables: Tables) {}

  async save(tenantId: string, userId: string, reference: Partial<ConversationReference>): Promise<void> {
    await this.tables.Conversations.upsertEntity(
      { partitionKey: tenantId || 'none', rowKey: userId, reference: JSON.stringify(reference), serviceUrl: reference.serviceUrl ?? '', updatedAt: new Date().toISOString() },
      'Replace',
    );
  }

  async get(tenantId: string, userId: string): Promise<Partial<ConversationReference> | undefined> {
    try {
      const e = await this.tables.Conversations.getEntity<{ reference: string }>(tenantId || 'none', userId);
      return json<Partial<ConversationReference> | undefined>(e.reference, undefined);
    } catch (err) {
      if (isStatus(err, 404)) return undefined;
      throw err;
    }
  }
}
