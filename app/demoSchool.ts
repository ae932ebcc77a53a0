/**
 * Local mode only: the demo school's register starts with the AUPs published and a few fictional
 * learners (the setup's `demoRegister`), so a first `npm start` shows a working register. Written
 * once, into an empty register; never with real credentials.
 */
import { createHash } from 'node:crypto';
import { AUP_KIND_INFO } from '../core/aup';
import { todayIn } from '../core/time';
import { academicYearOf, academicYearStart, addDays, addMonths } from '../core/training';
import type { Services } from '../runtime/services';
import type { NewTrainingRecord } from '../store/trainingStore';

export async function seedDemoRegister(s: Services): Promise<void> {
  const demo = s.setup.demoRegister;
  if (!s.settings.localMode || !demo) return;
  const { schoolId } = s.setup;
  if ((await s.stores.aup.currentDocuments(schoolId)).length > 0) return;
  const at = s.clock().toISOString();
  await s.stores.aup.upsertPeople(
    schoolId,
    demo.learners.map((l) => ({ id: `csv-learner-${l.id}`, displayName: l.name, kind: 'learner' as const, yearGroup: l.yearGroup, tags: [], source: 'csv' as const, externalId: l.id, active: true, updatedAt: at })),
  );
  for (const d of demo.documents) {
    await s.stores.aup.publish(schoolId, {
      documentId: d.documentId,
      kind: d.kind,
      title: d.title,
      text: d.text,
      link: d.link,
      sha256: createHash('sha256').update(d.text ?? d.link ?? '', 'utf8').digest('hex'),
      publishedAt: at,
      publishedById: 'demo',
      appliesTo: AUP_KIND_INFO[d.kind].appliesTo,
    });
  }
  s.log.info('demo register seeded', { documents: demo.documents.length, learners: demo.learners.length });
}

/**
 * Local mode only: some training the demo staff have done, so the Training page shows every status at
 * once (current, due soon, overdue, never). Dated from today, so it reads the same on any day; written
 * once, into an empty record.
 */
export async function seedDemoTraining(s: Services): Promise<void> {
  const people = s.setup.demoDirectory;
  if (!s.settings.localMode || !people?.length || !s.setup.demoRegister) return;
  const { schoolId } = s.setup;
  if ((await s.stores.training.all(schoolId)).rows.size > 0) return;
  const today = todayIn(s.setup.timeZone, s.clock());
  const yearStarted = academicYearStart(academicYearOf(today, s.setup.training.academicYearStarts), s.setup.training.academicYearStarts);
  const staff = people.filter((p) => p.roles.includes('allStaff'));
  const reporter = staff[0];
  const records: NewTrainingRecord[] = [];
  const add = (personId: string, name: string, courseId: string, completedOn: string, provider: string, hours: number) => {
    if (completedOn <= today && s.setup.training.courses.some((c) => c.id === courseId)) {
      records.push({ personId, personName: name, courseId, completedOn, provider, hours, source: 'tab', state: 'confirmed', recordedById: 'demo', recordedByName: 'Demo data', recordedAt: s.clock().toISOString() });
    }
  };
  for (const p of staff) {
    const dsl = p.roles.some((r) => r === 'dslPrep' || r === 'dslPrePrep' || r === 'deputyDsl');
    // The first member of staff (the reporter in npm start) missed this year's INSET: overdue.
    if (p !== reporter) add(p.id, p.displayName, 'safeguarding-update', addDays(yearStarted, 1), 'KCC Education Safeguarding Team', 2);
    add(p.id, p.displayName, 'induction', addMonths(today, -30), 'School (Online Safety Lead)', 1);
    if (p.roles.includes('headteacher') || dsl) add(p.id, p.displayName, 'prevent', addMonths(today, -23), 'Home Office Prevent e-learning', 1);
    if (dsl) add(p.id, p.displayName, 'dsl-training', addMonths(today, p.roles.includes('dslPrePrep') ? -25 : -14), 'KCC Designated Safeguarding Lead course', 12);
    if (p.roles.includes('dslPrep')) add(p.id, p.displayName, 'dsl-update', addMonths(today, -3), 'KCC DSL network meeting', 2);
  }
  await s.stores.training.add(schoolId, records);
  s.log.info('demo training seeded', { records: records.length });
}
