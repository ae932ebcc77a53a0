/**
 * "My records" (PRODUCT.md §4, §5: "everyone sees their own"): what the signed-in person has signed,
 * and the text of what they are asked to sign. Open to everyone; it only ever shows the caller's own
 * records. Training records join it later.
 */
import express, { type Router } from 'express';
import { z } from 'zod';
import { AUP_KIND_INFO, buildRegister, documentAppliesTo, latestSignatures, type RegisterPerson } from '../../../core/aup';
import type { Services } from '../../../runtime/services';
import { callerOf, type Caller } from '../caller';
import { day, parse, problem, requirePage } from '../http';
import { detailsSchema } from '../trainingImport';
import type { TrainingView } from '../trainingView';
import type { MyRecordsView } from '../view';
import { documentId } from './register';
import { newRecord, TRAINING_AUDIT } from './training';

const selfReport = z.strictObject({ courseId: z.string().max(64), completedOn: day, ...detailsSchema.shape });

export function myRecordsRoutes(s: Services, parts: { training: TrainingView }): Router {
  const router = express.Router();
  const { schoolId } = s.setup;
  router.use('/my-records', requirePage('records'));

  /** The caller as the register knows them; staff not synced yet are staff all the same. */
  async function me(caller: Caller): Promise<RegisterPerson | undefined> {
    const stored = await s.stores.aup.getPerson(schoolId, caller.id);
    if (stored?.active) return stored;
    return caller.roles.includes('allStaff') ? { id: caller.id, displayName: caller.name, kind: 'staff', tags: stored?.tags ?? [] } : undefined;
  }

  router.get('/my-records', async (_req, res) => {
    const caller = callerOf(res);
    const [person, documents, signatures, trainee] = await Promise.all([me(caller), s.stores.aup.currentDocuments(schoolId), s.stores.aup.signaturesOf(schoolId, caller.id), parts.training.personFor(caller)]);
    const row = person ? buildRegister([person], documents, latestSignatures(signatures))[0] : undefined;
    const training = await parts.training.person(trainee);
    const view: MyRecordsView = {
      name: person?.displayName ?? caller.name,
      inRegister: !!person,
      documents: row
        ? documents.flatMap((d, i) => {
            const cell = row.cells[i];
            return cell ? [{ document: { ...d, signedInTeams: AUP_KIND_INFO[d.kind]?.signedInTeams ?? false }, cell }] : [];
          })
        : [],
      training: {
        today: training.today,
        // What they must do, and anything they did that is no longer required (their history stays).
        courses: training.courses.filter((c) => c.required || c.status.lastCompletedOn || c.status.awaitingConfirmation).map(({ course, status }) => ({ course, status })),
        records: training.records,
      },
    };
    res.setHeader('cache-control', 'no-store');
    res.json(view);
  });

  /** "I completed X on D with P": waits for the office to confirm it before it counts (§5). */
  router.post('/my-records/training', async (req, res) => {
    const caller = callerOf(res);
    const body = parse(selfReport, req.body, res);
    if (!body) return;
    if (!s.setup.training.courses.some((c) => c.id === body.courseId)) return problem(res, 400, `"${body.courseId.slice(0, 64)}" is not one of the school's courses.`);
    if (body.completedOn > parts.training.today()) return problem(res, 400, 'The date cannot be in the future.');
    const { courseId, ...details } = body;
    const [outcome] = await s.stores.training.add(schoolId, [newRecord({ id: caller.id, name: caller.name }, courseId, details, 'self', 'pending', caller, s.clock().toISOString())]);
    if (outcome === 'created') await s.stores.audit.append(schoolId, { reference: TRAINING_AUDIT, action: 'training self-reported', byId: caller.id, byName: caller.name, via: 'tab', detail: `${courseId} ${body.completedOn}` });
    res.status(outcome === 'created' ? 201 : 200).json({ outcome });
  });

  /** The current text of a document the caller is asked to sign (and only such a document). */
  router.get('/my-records/documents/:documentId', async (req, res) => {
    const id = parse(documentId, req.params.documentId, res, 'documentId');
    if (!id) return;
    const [person, doc] = await Promise.all([me(callerOf(res)), s.stores.aup.currentVersion(schoolId, id)]);
    if (!doc || !person || !documentAppliesTo(doc.appliesTo, person)) return problem(res, 404, 'There is no such document for you.');
    res.json({ documentId: doc.documentId, title: doc.title, version: doc.version, link: doc.link, text: doc.text, publishedAt: doc.publishedAt });
  });

  return router;
}
