/**
 * The few facts of each case the trends and the governors' report count (core/trends.ts), read fast:
 * every case entity carries them in small columns of their own (written with the case by
 * caseStore.toCaseEntity), so a period of a school's cases is one range query of its partition that
 * reads only those columns, never the concern's text, the learners' names or the chronology.
 */
import { odata } from '@azure/data-tables';
import { caseFacts, type CaseFacts } from '../core/trends';
import type { PhaseId } from '../core/phases';
import type { Role } from '../core/roles';
import type { CaseStatus } from '../core/case';
import type { CaseStore } from './caseStore';
import { json, type Tables } from './tables';

/** The columns written beside every case: no names, no free text. */
export function factColumns(f: CaseFacts): Record<string, string> {
  return {
    yearGroups: JSON.stringify(f.yearGroups),
    staffInvolvedId: f.staffInvolvedId ?? '',
    closedDecision: f.closedDecision ?? '',
    everRecipients: f.everRecipients.map((r) => `${r.id}:${r.role}`).join(','),
  };
}

const SELECT = ['RowKey', 'category', 'createdAt', 'phases', 'urgent', 'status', 'acknowledgedAt', 'escalationLevel', 'yearGroups', 'staffInvolvedId', 'closedDecision', 'everRecipients'];

function fromColumns(e: Record<string, unknown>): CaseFacts {
  const s = (k: string) => (typeof e[k] === 'string' ? (e[k] as string) : '');
  return {
    category: s('category'),
    createdAt: s('createdAt'),
    phases: json<PhaseId[]>(e.phases, []),
    yearGroups: json<string[]>(e.yearGroups, []),
    urgent: e.urgent === true,
    status: (['open', 'acknowledged', 'closed'].includes(s('status')) ? s('status') : 'open') as CaseStatus,
    acknowledgedAt: s('acknowledgedAt') || undefined,
    escalationLevel: Number(e.escalationLevel ?? 0),
    closedDecision: s('closedDecision') || undefined,
    staffInvolvedId: s('staffInvolvedId') || undefined,
    everRecipients: s('everRecipients')
      .split(',')
      .filter(Boolean)
      .map((pair) => {
        const at = pair.lastIndexOf(':');
        return { id: pair.slice(0, at), role: pair.slice(at + 1) as Role };
      }),
  };
}

export class CaseFactsStore {
  constructor(private readonly tables: Tables, private readonly cases: Pick<CaseStore, 'getCase'>) {}

  /**
   * The facts of the school's cases raised from `fromIso` (included) to `toIso` (excluded): one range
   * query of the partition's cases, filtered on `createdAt` by the service, selecting only the facts'
   * columns. A case stored before those columns existed is read whole, once per call (it gains them
   * the next time it changes).
   */
  async raisedBetween(schoolId: string, fromIso: string, toIso: string): Promise<CaseFacts[]> {
    const out: CaseFacts[] = [];
    const older: string[] = [];
    const filter = odata`PartitionKey eq ${schoolId} and RowKey ge 'case|' and RowKey lt 'case|~' and createdAt ge ${fromIso} and createdAt lt ${toIso}`;
    for await (const e of this.tables.Cases.listEntities<Record<string, unknown>>({ queryOptions: { filter, select: SELECT } })) {
      if (typeof e.yearGroups === 'string') out.push(fromColumns(e));
      else older.push(String(e.rowKey).slice('case|'.length));
    }
    for (let i = 0; i < older.length; i += 16) {
      const whole = await Promise.all(older.slice(i, i + 16).map((reference) => this.cases.getCase(schoolId, reference)));
      for (const c of whole) if (c) out.push(caseFacts(c));
    }
    return out;
  }
}
