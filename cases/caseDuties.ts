/**
 * What the case workspace owes people when days pass (PRODUCT.md §6), swept every few minutes from the
 * index rows in the school's own partition (so the cost does not grow with other schools' cases):
 *
 * - a next step past its day: its owner gets a card through the outbox, once (decideNextStepReminder;
 *   the list flags it from the case itself);
 * - a child-protection file with no receipt 5 school days after it was sent: flagged, and the DSLs of
 *   the child's phase and the person who sent it are told, once — the flag is the claim, taken under the
 *   transfer's ETag before anyone is told, and given back if nobody could be reached, so the next sweep
 *   tries again (KCSIE: "ensure secure transit, and confirmation of receipt should be obtained");
 * - the case list's journal of changes is pruned after two days.
 *
 * The cards name the case's reference and the days only: the child's name and what happened stay in
 * the record (PRODUCT.md §3).
 */
import { decideNextStepReminder } from '../core/caseDecisions';
import { phaseOfYearGroup } from '../core/phases';
import { todayIn } from '../core/time';
import { caseLinkCard } from '../delivery/cards';
import { Periodic } from '../runtime/periodic';
import type { Services } from '../runtime/services';
import type { Transfer } from '../store/transferStore';

/** How long the journal of changes is kept (the case list reads the last 30 seconds of it). */
const JOURNAL_KEEP_MS = 2 * 86_400_000;

export interface DutiesRun {
  reminded: number;
  transfersFlagged: number;
  journalPruned: number;
}

export class CaseDuties {
  private readonly periodic: Periodic;
  private last: DutiesRun = { reminded: 0, transfersFlagged: 0, journalPruned: 0 };

  constructor(private readonly s: Services, seconds: number) {
    this.periodic = new Periodic(async () => {
      this.last = await this.runOnce();
      return this.last.reminded + this.last.transfersFlagged;
    }, seconds, s.log, 'case duties');
  }

  start(): void {
    this.periodic.start(true);
  }

  stop(): Promise<void> {
    return this.periodic.stop();
  }

  /** Runs now (or joins the run under way) and says what it did. */
  async sweep(): Promise<DutiesRun> {
    await this.periodic.run();
    return this.last;
  }

  private async runOnce(): Promise<DutiesRun> {
    const { schoolId, timeZone } = this.s.setup;
    const now = this.s.clock();
    const today = todayIn(timeZone, now);
    const reminded = await this.remindNextSteps(today, now);
    const transfersFlagged = await this.flagTransfers(today);
    const journalPruned = await this.s.stores.cases.pruneJournal(schoolId, new Date(now.getTime() - JOURNAL_KEEP_MS).toISOString());
    return { reminded, transfersFlagged, journalPruned };
  }

  private async remindNextSteps(today: string, now: Date): Promise<number> {
    const { schoolId } = this.s.setup;
    let reminded = 0;
    for (const { reference, rowKey } of await this.s.stores.cases.overdueNextSteps(schoolId, today)) {
      const result = await this.s.stores.cases.changeCase(
        schoolId,
        reference,
        (record) => decideNextStepReminder(record, today, now.toISOString()),
        (record) => ({ action: `next step overdue: ${record.nextStep?.owner.displayName ?? 'its owner'} reminded`, byId: 'system', via: 'system' }),
      );
      if (result.outcome === 'changed') {
        reminded++;
        this.s.outbox.dispatch(result.outbox);
      } else {
        // A stale index row (the step was done, replaced or the case closed meanwhile): it goes.
        await this.s.stores.cases.removeIndexRow(schoolId, rowKey).catch(() => undefined);
      }
    }
    return reminded;
  }

  private async flagTransfers(today: string): Promise<number> {
    const { schoolId } = this.s.setup;
    let flagged = 0;
    for (const due of await this.s.stores.transfers.overdue(schoolId, today)) {
      const transfer = await this.s.stores.transfers.get(schoolId, due.learnerId, due.id);
      if (!transfer || transfer.receipt || transfer.flaggedOn) continue;
      const claimed = await this.s.stores.transfers.change(schoolId, transfer, { flaggedOn: today });
      if (claimed === 'conflict') continue;
      const told = await this.tellAboutTransfer(claimed);
      if (told === 0) {
        // Nobody could be reached: the claim is given back, and the next sweep tries again.
        await this.s.stores.transfers.change(schoolId, claimed, { flaggedOn: undefined }).catch(() => undefined);
        continue;
      }
      await this.s.stores.audit.append(schoolId, { reference: `learner|${transfer.learnerId}`, action: 'child-protection file receipt overdue: DSLs told', byId: 'system', via: 'system', detail: `${transfer.id}: sent ${transfer.sentOn}, receipt due ${transfer.receiptDueOn}; ${told} told` }, this.s.clock());
      this.s.log.warn('a child-protection file has no receipt after 5 school days', { transfer: transfer.id });
      flagged++;
    }
    return flagged;
  }

  /** The DSLs of the child's phase (every DSL when the phase is not known) and the sender; how many were reached. */
  private async tellAboutTransfer(t: Transfer): Promise<number> {
    const learner = await this.s.stores.aup.getPerson(this.s.setup.schoolId, t.learnerId);
    const phase = phaseOfYearGroup(this.s.setup.phases, learner?.yearGroup);
    const roles = phase ? [phase === 'prep' ? 'dslPrep' as const : 'dslPrePrep' as const] : ['dslPrep' as const, 'dslPrePrep' as const];
    const { members } = await this.s.roles.resolve(roles);
    const ids = new Set([t.sentBy.id, ...roles.flatMap((r) => (members[r] ?? []).map((p) => p.id))]);
    const link = this.s.outbox.link('cases', `learner:${t.learnerId}`);
    const card = caseLinkCard(
      'Child-protection file: no receipt yet',
      [`A child-protection file sent to another school on ${t.sentOn} has had no receipt in 5 school days (it was due by ${t.receiptDueOn}).`, 'Contact the new school\'s DSL, then record the receipt on the child\'s record.'],
      link,
      'Open the child\'s record',
      'Warning',
    );
    let reached = 0;
    await Promise.all(
      [...ids].filter(Boolean).map((id) =>
        this.s.outbox
          .sendCardNow(id, card, 'Child-protection file: no receipt yet')
          .then(() => void reached++)
          .catch((err: Error) => this.s.log.warn('an overdue transfer notice could not be sent', { error: err.message })),
      ),
    );
    return reached;
  }
}
