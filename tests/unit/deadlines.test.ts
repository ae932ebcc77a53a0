import { acknowledgementDeadline, addWorkingHours } from '../../core/deadlines';
import { nextEscalation } from '../../core/escalation';

const LONDON = 'Europe/London';
const rule = { urgentMinutes: 15, standardHours: 8 };

describe('acknowledgement deadlines', () => {
  it('an urgent case is due within the configured minutes', () => {
    expect(acknowledgementDeadline(new Date('2026-11-23T10:00:00Z'), true, rule, LONDON).toISOString()).toBe('2026-11-23T10:15:00.000Z');
  });
  it('a standard case raised on Monday morning is due within the working day', () => {
    // 09:00 London (GMT) + 8 working hours = 17:00 the same day
    expect(acknowledgementDeadline(new Date('2026-11-23T09:00:00Z'), false, rule, LONDON).toISOString()).toBe('2026-11-23T17:00:00.000Z');
  });
  it('working time skips the evening and the weekend', () => {
    // Friday 16:30 London: one hour left on Friday, the other seven on Monday from 08:00 → 15:00
    expect(addWorkingHours(new Date('2026-11-27T16:30:00Z'), 8, LONDON).toISOString()).toBe('2026-11-30T15:00:00.000Z');
  });
  it('a case raised on Saturday counts from Monday 08:00', () => {
    expect(addWorkingHours(new Date('2026-11-28T12:00:00Z'), 2, LONDON).toISOString()).toBe('2026-11-30T10:00:00.000Z');
  });
  it('follows British Summer Time', () => {
    // 1 July 2026, 09:00 BST is 08:00 UTC; + 8 working hours = 17:00 BST = 16:00 UTC
    expect(addWorkingHours(new Date('2026-07-01T08:00:00Z'), 8, LONDON).toISOString()).toBe('2026-07-01T16:00:00.000Z');
  });
});

describe('escalation chain', () => {
  const p = (id: string) => ({ id, displayName: id });
  const members = { deputyDsl: [p('deputy')], onlineSafetyLead: [p('osl')], headteacher: [p('head')], chairOfGovernors: [p('chair')] };
  const dsl = [{ ...p('dsl'), role: 'dslPrep' as const }];
  it('DSL → deputies and OSL → Headteacher → Chair', () => {
    expect(nextEscalation(0, dsl, members)!.added.map((r) => r.id)).toEqual(['deputy', 'osl']);
    expect(nextEscalation(1, dsl, members)!.added.map((r) => r.id)).toEqual(['head']);
    expect(nextEscalation(2, dsl, members)!.added.map((r) => r.id)).toEqual(['chair']);
    expect(nextEscalation(3, dsl, members)).toBeUndefined();
  });
  it('a step with nobody new is skipped, and the subject is never added', () => {
    const step = nextEscalation(0, [...dsl, { ...p('osl'), role: 'onlineSafetyLead' }], { ...members, deputyDsl: [p('dsl')] }, 'head');
    expect(step!.level).toBe(3);
    expect(step!.added.map((r) => r.id)).toEqual(['chair']);
  });
});
