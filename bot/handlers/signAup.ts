/**
 * `signAup`: a member of staff agrees to the current version of an Acceptable Use Policy from its card
 * (PRODUCT.md §4; policy §7.2). Who signs comes from Teams (the invoke's Entra object id), never from
 * the card; the card names only the document and the version they read, which must be the stored
 * current version. A retry or a second press finds the same signature and changes nothing.
 */
import { z } from 'zod';
import { documentAppliesTo } from '../../core/aup';
import { todayIn } from '../../core/time';
import { courseOfMustRead } from '../../core/training';
import { aupSignCard } from '../../delivery/cards';
import { verb } from '../verbs';

export const signAup = verb({
  verb: 'signAup',
  data: z.object({
    documentId: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/),
    version: z.coerce.number().int().min(1).max(999_999),
  }),
  invalid: 'This card does not name a policy.',
  async handle(s, actor, { documentId, version }) {
    const schoolId = s.setup.schoolId;
    const store = s.stores.aup;
    const current = await store.currentVersion(schoolId, documentId);
    if (!current) return { kind: 'error', status: 404, message: 'This policy is no longer in use.' };
    if (current.version !== version) {
      // Agreeing to text the person has not been shown is no agreement: show the current version.
      return { kind: 'card', card: aupSignCard(s.setup, current, { notice: `A newer version (${current.version}) has been published since this card was sent. Please read it before you agree.`, recordsLink: s.outbox.link('records') }) };
    }
    let person = await store.getPerson(schoolId, actor.id);
    if (!person || !person.active) {
      const { members } = await s.roles.resolve(['allStaff']);
      const me = (members.allStaff ?? []).find((p) => p.id === actor.id);
      if (!me) return { kind: 'message', text: 'This policy is signed on paper with the school office, not here. Nothing has been recorded.' };
      const at = s.clock().toISOString();
      await store.syncStaff(schoolId, [me], at, { removeLeavers: false, wholeGroup: false });
      person = { id: me.id, displayName: me.displayName, kind: 'staff', tags: person?.tags ?? [], source: 'graph', externalId: me.id, active: true, updatedAt: at };
    }
    if (!documentAppliesTo(current.appliesTo, person)) {
      return { kind: 'message', text: `${current.title} does not apply to you, so nothing has been recorded.` };
    }
    const { signature, created } = await store.sign(schoolId, {
      personId: person.id,
      personName: person.displayName,
      documentId,
      version: current.version,
      sha256: current.sha256,
      signedAt: s.clock().toISOString(),
      channel: 'teams',
      recordedById: actor.id,
      recordedByName: person.displayName,
    });
    if (created) s.log.info('aup signed', { documentId, version: current.version });
    // A must-read (KCSIE Part 1) confirmed is also that year's completion of its course (§5.3).
    const course = current.kind === 'mustRead' ? courseOfMustRead(s.setup.training, documentId) : undefined;
    if (course) {
      await s.stores.training.add(schoolId, [{
        personId: person.id,
        personName: person.displayName,
        courseId: course.id,
        completedOn: todayIn(s.setup.timeZone, new Date(signature.signedAt)),
        evidence: `${current.title}, version ${current.version}, confirmed in Teams`,
        source: 'teams',
        state: 'confirmed',
        recordedById: actor.id,
        recordedByName: person.displayName,
        recordedAt: signature.signedAt,
      }]);
    }
    return { kind: 'card', card: aupSignCard(s.setup, current, { signedAt: signature.signedAt, recordsLink: s.outbox.link('records') }) };
  },
});
