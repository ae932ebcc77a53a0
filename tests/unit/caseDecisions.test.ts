/** The case decisions (core/caseDecisions.ts), read as the policy reads: who may act, and what changes. */
import { missedAcknowledgement, type CaseRecord } from '../../core/case';
import { decideAcknowledgement, decideClose, decideEscalation, decideReassign, decideRecordAction, decideReopen, type CaseRules } from '../../core/caseDecisions';
import type { RoleMembers } from '../../core/roles';

const rules: CaseRules = { acknowledgement: { urgentMinutes: 15, standardHours: 8 }, timeZone: 'Europe/London', retention: { yearsFromClosure: 25, yearsFromDateOfBirth: 25 } };
const priya = { id: 'priya', displayName: 'Priya Shah', role: 'dslPrep' as const };
const tom = { id: 'tom', displayName: 'Tom Okafor', role: 'dslPrePrep' as const };
const now = new Date('2026-11-23T10:00:00Z');
const at = now.toISOString();

function aCase(fields: Partial<CaseRecord> = {}): CaseRecord {
  return {
    schoolId: 's',
    tenantId: 't',
    reference: 'SMP-2026-0001',
    concern: { category: 'cyberbullying', learners: [{ name: 'A', yearGroup: 'Year 5' }], whatHappened: 'x', happenedOn: '2026-11-20', location: 'onSite', device: 'schoolDevice', immediateDanger: false },
    reporter: { id: 'sam', displayName: 'Sam Taylor' },
    createdAt: '2026-11-23T09:00:00.000Z',
    phases: ['prep'],
    urgent: false,
    recipients: [priya],
    routeReasons: [],
    directoryStale: false,
    status: 'open',
    escalationLevel: 0,
    deadline: '2026-11-23T17:00:00.000Z',
    dueKey: 'due|2026-11-23T17:00:00.000Z|SMP-2026-0001',
    ...fields,
  };
}

describe('acknowledging', () => {
  it('a recipient acknowledges: the deadline goes, every card and the reporter are told', () => {
    const d = decideAcknowledgement(aCase(), 'priya', at);
    expect(d).toMatchObject({ update: { status: 'acknowledged', acknowledgedBy: { id: 'priya', displayName: 'Priya Shah' }, acknowledgedAt: at }, deadline: null });
    expect('outbox' in d && d.outbox!.map((o) => o.kind)).toEqual(['updateRecipientCard', 'tellReporter']);
  });
  it('a case the monitoring system raised: every card is told, and nobody is sent a word as its reporter', () => {
    const base = aCase();
    const monitoring = { vendor: 'smoothwall', vendorTitle: 'Smoothwall Monitor', alertId: 'E1', key: 'smoothwall|E1', risk: 4, vendorRisk: '4', threshold: 3, identified: {}, rosterMatch: '', droppedImages: [], via: 'endpoint' as const };
    const d = decideAcknowledgement(aCase({ concern: { ...base.concern, category: 'monitoringAlert', monitoring }, reporter: { id: 'monitoring-system', displayName: 'Monitoring system' } }), 'priya', at);
    expect('outbox' in d && d.outbox!.map((o) => o.kind)).toEqual(['updateRecipientCard']);
  });
  it('someone the case is not with is refused', () => {
    expect(decideAcknowledgement(aCase(), 'tom', at)).toEqual({ refused: 'notARecipient' });
    expect(decideAcknowledgement(aCase(), undefined, at)).toEqual({ refused: 'notARecipient' });
  });
  it('a second press changes nothing', () => {
    expect(decideAcknowledgement(aCase({ acknowledgedBy: priya, acknowledgedAt: at }), 'priya', at)).toEqual({ refused: 'alreadyAcknowledged' });
  });
});

describe('reassigning', () => {
  const members: RoleMembers = { dslPrePrep: [{ id: 'tom', displayName: 'Tom Okafor' }], deputyDsl: [{ id: 'priya', displayName: 'Priya Shah' }] };
  it('hands the case to whoever holds the role, with a fresh deadline and an unacknowledged state', () => {
    const d = decideReassign(aCase({ status: 'acknowledged', acknowledgedBy: priya }), 'priya', 'dslPrePrep', members, now, rules);
    expect(d).toMatchObject({ update: { recipients: [tom], status: 'open', acknowledgedBy: undefined } });
    // 8 working hours from 10:00 on a Monday: 7½ today, half an hour from 08:00 on Tuesday.
    expect('deadline' in d && d.deadline).toBe('2026-11-24T08:30:00.000Z');
  });
  it('never to the person it is about, nor back to the person handing it on', () => {
    expect(decideReassign(aCase(), 'priya', 'deputyDsl', members, now, rules)).toEqual({ refused: 'nobody' });
    const about = aCase({ concern: { ...aCase().concern, staffInvolvedId: 'tom' } });
    expect(decideReassign(about, 'priya', 'dslPrePrep', members, now, rules)).toEqual({ refused: 'nobody' });
  });
  it('not a closed case, not to a role cases are not handed to, not by someone else', () => {
    expect(decideReassign(aCase({ status: 'closed' }), 'priya', 'dslPrePrep', members, now, rules)).toEqual({ refused: 'closed' });
    expect(decideReassign(aCase(), 'priya', 'officeStaff', members, now, rules)).toEqual({ refused: 'notATarget' });
    expect(decideReassign(aCase(), 'tom', 'dslPrePrep', members, now, rules)).toEqual({ refused: 'notARecipient' });
  });
});

describe('recording actions', () => {
  it('an action of the category\'s checklist is a chronology line with who and when', () => {
    expect(decideRecordAction(aCase(), 'priya', 'Parents informed', '', at)).toMatchObject({ chronology: [{ kind: 'action', by: { id: 'priya' }, summary: 'Parents informed' }] });
  });
  it('an image viewed needs who and why in writing (§11.2)', () => {
    expect(decideRecordAction(aCase(), 'priya', 'Image viewed (record who viewed it and why)', '', at)).toEqual({ refused: 'noteRequired' });
  });
  it('an action the category does not have, or on a closed case, is refused', () => {
    expect(decideRecordAction(aCase(), 'priya', 'Made it up', '', at)).toEqual({ refused: 'unknownAction' });
    expect(decideRecordAction(aCase({ status: 'closed' }), 'priya', 'Parents informed', '', at)).toEqual({ refused: 'closed' });
  });
});

describe('closing and reopening', () => {
  const closure = { decision: 'No further action', reason: 'r', outcome: 'o', lessonsLearnt: 'none' };
  it('closing records the decision and sets the retention review date; it counts as acknowledging', () => {
    const d = decideClose(aCase(), 'priya', closure, now, rules);
    expect(d).toMatchObject({ update: { status: 'closed', retentionReviewOn: '2051-11-23', acknowledgedBy: { id: 'priya' } }, deadline: null });
  });
  it('a closed case cannot be closed again; reopening needs it closed', () => {
    expect(decideClose(aCase({ status: 'closed' }), 'priya', closure, now, rules)).toEqual({ refused: 'closed' });
    expect(decideReopen(aCase(), 'priya', 'new information', at)).toEqual({ refused: 'notClosed' });
    expect(decideReopen(aCase({ status: 'closed' }), 'priya', 'new information', at)).toMatchObject({ update: { status: 'acknowledged', closure: undefined } });
  });
});

describe('escalation', () => {
  const members: RoleMembers = { deputyDsl: [{ id: 'dana', displayName: 'Dana Lee' }], onlineSafetyLead: [{ id: 'dan', displayName: 'Dan Reed' }], headteacher: [{ id: 'helen', displayName: 'Helen Marsh' }] };
  it('past its deadline, a case goes to the deputies and the OSL, saying when it was due in the school\'s time', () => {
    const d = decideEscalation(aCase(), 'due|2026-11-23T17:00:00.000Z|SMP-2026-0001', members, now, rules);
    expect(d).toMatchObject({ update: { escalationLevel: 1 } });
    expect('chronology' in d && d.chronology![0].summary).toBe('Not acknowledged by 23 Nov 2026, 17:00: escalated to Dana Lee (Deputy DSL), Dan Reed (Online Safety Lead)');
  });
  it('an urgent case also raises feed notifications for the people added', () => {
    const d = decideEscalation(aCase({ urgent: true }), aCase().dueKey!, members, now, rules);
    expect('outbox' in d && d.outbox!.filter((o) => o.kind === 'activityFeed').map((o) => o.personId)).toEqual(['dana', 'dan']);
  });
  it('a case that moved on (acknowledged, another deadline) is not escalated', () => {
    expect(decideEscalation(aCase({ status: 'acknowledged' }), aCase().dueKey!, members, now, rules)).toEqual({ refused: 'notDue' });
    expect(decideEscalation(aCase(), 'due|other|SMP-2026-0001', members, now, rules)).toEqual({ refused: 'notDue' });
  });
  it('at the end of the chain it stays with those who have it, and the chronology says so truthfully', () => {
    const d = decideEscalation(aCase({ escalationLevel: 3 }), aCase().dueKey!, members, now, rules);
    expect(d).toMatchObject({ update: { missedDeadlineAt: at }, deadline: null });
    expect('chronology' in d && d.chronology![0].summary).toBe('Not acknowledged by 23 Nov 2026, 17:00, and nobody further up the escalation chain can be told: it stays with Priya Shah.');
  });
  it('a missed deadline is remembered (the first one), and the case list flags it until someone acknowledges', () => {
    const first = decideEscalation(aCase(), aCase().dueKey!, members, now, rules);
    expect(first).toMatchObject({ update: { missedDeadlineAt: at } });
    expect(decideEscalation(aCase({ missedDeadlineAt: '2026-11-20T10:00:00.000Z' }), aCase().dueKey!, members, now, rules)).toMatchObject({ update: { missedDeadlineAt: '2026-11-20T10:00:00.000Z' } });
    const later = '2026-11-24T09:00:00.000Z';
    expect(missedAcknowledgement(aCase(), at)).toBe(false);
    expect(missedAcknowledgement(aCase(), later)).toBe(true);
    // Escalated: the deadline is the next step's, not yet past; the end of the chain: no deadline at all.
    expect(missedAcknowledgement(aCase({ escalationLevel: 1, deadline: '2026-11-25T09:00:00.000Z', missedDeadlineAt: at }), later)).toBe(true);
    expect(missedAcknowledgement(aCase({ deadline: undefined, missedDeadlineAt: at }), later)).toBe(true);
    expect(missedAcknowledgement(aCase({ status: 'acknowledged', missedDeadlineAt: at }), later)).toBe(false);
  });
});
