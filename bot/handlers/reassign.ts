/** `reassign`: a current recipient hands the case to the deputies, the other phase's DSL or the OSL. */
import { z } from 'zod';
import { changeCase } from '../../cases/caseChanges';
import { decideReassign } from '../../core/caseDecisions';
import { REASSIGN_TARGETS } from '../../core/escalation';
import { ROLE_TITLES, type Role } from '../../core/roles';
import { ROUTING_ROLES } from '../../directory/roleResolver';
import { verb } from '../verbs';
import { answerChange, caseData, NO_CASE } from './caseAccess';

export const reassign = verb({
  verb: 'reassign',
  data: caseData.extend({ to: z.string().max(40).optional() }),
  invalid: NO_CASE,
  async handle(s, actor, { reference, to: chosen }) {
    const to = REASSIGN_TARGETS.find((r) => r === chosen) as Role | undefined;
    if (!to) return { kind: 'error', status: 400, message: 'Choose who to hand the concern to.' };
    const { members } = await s.roles.resolve(ROUTING_ROLES);
    const now = s.clock();
    const result = await changeCase(s, actor, {
      reference,
      attempt: `reassign to ${to}`,
      done: `reassigned to ${to}`,
      via: 'bot',
      decide: (record) => decideReassign(record, actor.id, to, members, now, s.setup),
    });
    return answerChange(s, actor, reference, result, {
      closed: 'The case is closed: reopen it first.',
      nobody: `Nobody else holds the role ${ROLE_TITLES[to]} right now. Nothing has changed.`,
    }, `Handed to ${ROLE_TITLES[to]}.`);
  },
});
