/**
 * Cases routed while Microsoft Graph could not be reached (from the last lookup, the fallback list, or
 * to nobody at all on a new deployment) are routed again once it answers: everyone routing names who
 * was not told is told (PRODUCT.md "Nothing lost"). Tried on a schedule, and only when Graph is
 * reachable; each case once however many instances try (the case's ETag).
 */
import { categoryById } from '../core/categories';
import { decideReroute } from '../core/caseDecisions';
import { routeConcern } from '../core/routing';
import { ROUTING_ROLES } from '../directory/roleResolver';
import { Periodic } from '../runtime/periodic';
import type { Services } from '../runtime/services';

export class Rerouter {
  private readonly sweeper: Periodic;

  constructor(private readonly s: Services, seconds: number) {
    this.sweeper = new Periodic(() => this.sweepOnce(), seconds, s.log, 're-routing sweep');
  }

  start(): void {
    this.sweeper.start();
  }

  stop(): Promise<void> {
    return this.sweeper.stop();
  }

  sweep(): Promise<number> {
    return this.sweeper.run();
  }

  private async sweepOnce(): Promise<number> {
    const { schoolId } = this.s.setup;
    const stale = await this.s.stores.cases.staleCases(schoolId);
    if (stale.length === 0) return 0;
    const { members, stale: stillStale } = await this.s.roles.fresh(ROUTING_ROLES);
    if (stillStale) return 0;
    let rerouted = 0;
    for (const reference of stale) {
      const at = this.s.clock().toISOString();
      const result = await this.s.stores.cases.changeCase(
        schoolId,
        reference,
        (record) => {
          const category = categoryById(record.concern.category)!;
          const route = routeConcern({ category, phases: record.phases, immediateDanger: record.concern.immediateDanger, staffInvolvedId: record.concern.staffInvolvedId }, members);
          return decideReroute(record, route, at);
        },
        (_record, change) => ({ action: `routed again: ${change.outbox?.filter((o) => o.kind === 'notifyRecipient').length ?? 0} more told`, byId: 'system', via: 'system' }),
      );
      if (result.outcome !== 'changed') continue;
      rerouted++;
      this.s.log.info('case routed again', { reference, added: result.outbox.filter((o) => o.kind === 'notifyRecipient').length });
      this.s.outbox.dispatch(result.outbox);
    }
    return rerouted;
  }
}
