/**
 * The governors' report's data (core/report.ts builds and suppresses it): the term's and the term
 * before's concerns (one range query over both, core/trends.ts counting them as the reader may), the
 * filtering and monitoring summary, training compliance from the training matrix (core/training.ts
 * statuses) and AUP sign-off from the register (core/aup.ts statuses), both as they are today.
 */
import { buildRegister, countRegister } from '../../core/aup';
import type { Reader } from '../../core/caseAccess';
import { buildGovernorsReport, termBefore, type AupSignOff, type CourseCompliance, type GovernorsReport, type Term } from '../../core/report';
import { todayIn } from '../../core/time';
import { aggregateTrends, instantRange, type Period } from '../../core/trends';
import type { Services } from '../../runtime/services';
import { filteringAndMonitoringSummary } from './filteringSummary';
import type { StaffSync } from './staffSync';
import type { TrainingView } from './trainingView';

export interface ReportParts {
  training: TrainingView;
  staffSync: StaffSync;
}

const periodOf = (t: Term): Period => ({ from: t.start, to: t.end });

async function trainingCompliance(parts: ReportParts): Promise<CourseCompliance[]> {
  const { view } = await parts.training.matrix();
  return view.courses.map((c, i) => ({ title: c.title, required: view.counts[i].required, inDate: view.counts[i].current + view.counts[i].dueSoon }));
}

async function aupSignOff(s: Services, parts: ReportParts): Promise<AupSignOff[]> {
  await parts.staffSync.ensureFresh();
  const reg = await s.stores.aup.register(s.setup.schoolId);
  const counts = countRegister(buildRegister(reg.people, reg.documents, reg.latest), reg.documents.length);
  return reg.documents.map((d, i) => ({ title: d.title, appliesTo: counts[i].current + counts[i].older + counts[i].never, signedCurrent: counts[i].current }));
}

export async function governorsReport(s: Services, parts: ReportParts, reader: Reader, term: Term): Promise<GovernorsReport> {
  const previousTerm = termBefore(s.setup.terms, term);
  const { fromIso, toIso } = instantRange({ from: previousTerm?.start ?? term.start, to: term.end });
  const [facts, training, aup] = await Promise.all([s.stores.caseFacts.raisedBetween(s.setup.schoolId, fromIso, toIso), trainingCompliance(parts), aupSignOff(s, parts)]);
  const thisTerm = aggregateTrends(facts, periodOf(term), reader, s.setup);
  const previous = previousTerm && aggregateTrends(facts, periodOf(previousTerm), reader, s.setup);
  const [filtering, previousFiltering] = await Promise.all([
    filteringAndMonitoringSummary(s, periodOf(term), thisTerm),
    previousTerm && previous ? filteringAndMonitoringSummary(s, periodOf(previousTerm), previous) : Promise.resolve(undefined),
  ]);
  return buildGovernorsReport({
    schoolName: s.setup.name,
    preparedOn: todayIn(s.setup.timeZone, s.clock()),
    term,
    previousTerm,
    thisTerm,
    previous,
    filtering,
    previousFiltering,
    training,
    aup,
  });
}
