/**
 * "My records" (PRODUCT.md §4, §5: "everyone sees their own"): what the signed-in person has signed,
 * and the text of what they are asked to sign. Open to everyone; it only ever shows the caller's own
 * records. Training records join it later.
 */
import express, { type Router } from 'express';
import { AUP_KIND_INFO, buildRegister, documentAppliesTo, latestSignatures, type RegisterPerson } from '../../../core/aup';
import type { Services } from '../../../runtime/services';
import { callerOf, type Caller } from '../caller';
import { parse, problem, requirePage } from '../http';
import type { MyRecordsView } from '../view';
import { documentId } from './register';

export function myRecordsRoutes(s: Services): Router {
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
    const [person, documents, signatures] = await Promise.all([me(caller), s.stores.aup.currentDocuments(schoolId), s.stores.aup.signaturesOf(schoolId, caller.id)]);
    const row = person ? buildRegister([person], documents, latestSignatures(signatures))[0] : undefined;
    const view: MyRecordsView = {
      name: person?.displayName ?? caller.name,
      inRegister: !!person,
      documents: row
        ? documents.flatMap((d, i) => {
            const cell = row.cells[i];
            return cell ? [{ document: { ...d, signedInTeams: AUP_KIND_INFO[d.kind]?.signedInTeams ?? false }, cell }] : [];
          })
        : [],
    };
    res.setHeader('cache-control', 'no-store');
    res.json(view);
  });

  /** The current text of a document the caller is asked to sign (and only such a document). */
  router.get('/my-records/documents/:documentId', async (req, res) => {
    const id = parse(documentId, req.params.documentId, res);
    if (!id) return;
    const [person, doc] = await Promise.all([me(callerOf(res)), s.stores.aup.currentVersion(schoolId, id)]);
    if (!doc || !person || !documentAppliesTo(doc.appliesTo, person)) return problem(res, 404, 'There is no such document for you.');
    res.json({ documentId: doc.documentId, title: doc.title, version: doc.version, link: doc.link, text: doc.text, publishedAt: doc.publishedAt });
  });

  return router;
}
