/**
 * Local mode only: the demo school's register starts with the AUPs published and a few fictional
 * learners (the setup's `demoRegister`), so a first `npm start` shows a working register. Written
 * once, into an empty register; never with real credentials.
 */
import { createHash } from 'node:crypto';
import { AUP_KIND_INFO } from '../core/aup';
import type { Services } from '../runtime/services';

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
