/**
 * The governors' report (core/report.ts): the small-count rule (PRODUCT.md §7: "counts under 3 shown as
 * 'fewer than 3'"), the terms, and a report that holds only suppressed counts.
 */
import { DEFAULT_PHASES } from '../../core/phases';
import { buildGovernorsReport, currentTerm, FEWER_THAN_3, percentTitle, shownCount, termBefore, type ReportInputs } from '../../core/report';
import { aggregateTrends, type CaseFacts } from '../../core/trends';

const setup = { phases: DEFAULT_PHASES, timeZone: 'Europe/London' };
const TERMS = [
  { name: 'Spring 2027', start: '2027-01-05', end: '2027-03-26' },
  { name: 'Autumn 2026', start: '2026-09-02', end: '2026-12-11' },
  { name: 'Summer 2026', start: '2026-04-14', end: '2026-07-10' },
];
const [, autumn, summer] = TERMS;
const dsl = { id: 'priya', roles: ['dslPrep' as const] };

function facts(n: number, fields: Partial<CaseFacts>): CaseFacts[] {
  return Array.from({ length: n }, () => ({ category: 'cyberbullying', createdAt: '2026-10-05T09:00:00.000Z', phases: ['prep'], yearGroups: ['Year 5'], urgent: false, status: 'open', escalationLevel: 0, everRecipients: [], ...fields }));
}

describe('the small-count rule', () => {
  it('0 is shown as 0, 1 and 2 as "fewer than 3", 3 and more as they are', () => {
    expect([0, 1, 2, 3, 4, 250].map(shownCount)).toEqual(['0', FEWER_THAN_3, FEWER_THAN_3, '3', '4', '250']);
  });
  it('refuses anything that is not a count', () => {
    expect(() => shownCount(-1)).toThrow(RangeError);
    expect(() => shownCount(1.5)).toThrow(RangeError);
  });
  it('percentages are rounded down, so 100% means everyone', () => {
    expect([percentTitle(0, 10), percentTitle(199, 200), percentTitle(3, 3), percentTitle(0, 0)]).toEqual(['0%', '99%', '100%', '—']);
  });
});

describe('terms', () => {
  it('the report\'s term is the latest that has started; it is compared with the one before', () => {
    expect(currentTerm(TERMS, '2026-11-23')).toEqual(autumn);
    expect(currentTerm(TERMS, '2026-12-20')).toEqual(autumn); // the holiday after it
    expect(currentTerm(TERMS, '2026-09-02')).toEqual(autumn); // its first day
    expect(currentTerm(TERMS, '2026-01-01')).toBeUndefined();
    expect(termBefore(TERMS, autumn)).toEqual(summer);
    expect(termBefore(TERMS, summer)).toBeUndefined();
  });
});

describe('the report', () => {
  const all = [
    ...facts(1, { category: 'sharingNudes' }),
    ...facts(2, { category: 'onlineHate', yearGroups: ['Year 7'] }),
    ...facts(3, { category: 'cyberbullying', status: 'acknowledged', acknowledgedAt: '2026-10-05T09:30:00.000Z' }),
    ...facts(1, { category: 'filteringBreach', createdAt: '2026-12-11T20:00:00.000Z', escalationLevel: 1 }),
    // The term before: one concern.
    ...facts(1, { category: 'cyberbullying', createdAt: '2026-05-05T09:00:00.000Z', status: 'closed', closedDecision: 'No further action', acknowledgedAt: '2026-05-05T10:00:00.000Z' }),
  ];
  const inputs = (over: Partial<ReportInputs> = {}): ReportInputs => ({
    schoolName: 'St Michael\'s',
    preparedOn: '2026-12-14',
    term: autumn,
    previousTerm: summer,
    thisTerm: aggregateTrends(all, { from: autumn.start, to: autumn.end }, dsl, setup),
    previous: aggregateTrends(all, { from: summer.start, to: summer.end }, dsl, setup),
    filtering: { filteringBreaches: 1, monitoringAlerts: 0 },
    previousFiltering: { filteringBreaches: 0, monitoringAlerts: 4 },
    training: [{ title: 'Prevent duty training', required: 12, inDate: 11 }, { title: 'Governors\' safeguarding training', required: 0, inDate: 0 }],
    aup: [{ title: 'Staff AUP', appliesTo: 40, signedCurrent: 30 }],
    ...over,
  });
  const table = (r: ReturnType<typeof buildGovernorsReport>, id: string) => r.tables.find((t) => t.id === id)!;
  const row = (r: ReturnType<typeof buildGovernorsReport>, id: string, label: string) => table(r, id).rows.find((x) => x[0] === label);

  it('every count of concerns from 1 to 2 reads "fewer than 3", 0 reads 0, this term beside the one before', () => {
    const r = buildGovernorsReport(inputs());
    expect(table(r, 'summary')).toMatchObject({ columns: ['Concerns', 'Autumn 2026', 'Summer 2026'], rows: [['All concerns', '7', FEWER_THAN_3]] });
    expect(row(r, 'category', 'Sharing nudes / youth-produced sexual imagery ("sexting")')).toEqual(['Sharing nudes / youth-produced sexual imagery ("sexting")', FEWER_THAN_3, '0']);
    expect(row(r, 'category', 'Online hate')).toEqual(['Online hate', FEWER_THAN_3, '0']);
    expect(row(r, 'category', 'Cyberbullying')).toEqual(['Cyberbullying', '3', FEWER_THAN_3]);
    expect(row(r, 'yearGroup', 'Year 7')).toEqual(['Year 7', FEWER_THAN_3, '0']);
    expect(row(r, 'month', 'Dec 2026')).toEqual(['Dec 2026', FEWER_THAN_3]);
    expect(row(r, 'month', 'Oct 2026')).toEqual(['Oct 2026', '6']);
    expect(row(r, 'outcome', 'No further action')).toEqual(['No further action', '0', FEWER_THAN_3]);
    expect(row(r, 'filtering', 'Filtering breaches reported')).toEqual(['Filtering breaches reported', FEWER_THAN_3, '0']);
    expect(row(r, 'filtering', 'Monitoring alerts raised as concerns')).toEqual(['Monitoring alerts raised as concerns', '0', '4']);
    expect(row(r, 'acknowledgement', 'Escalated (not acknowledged in time)')).toEqual(['Escalated (not acknowledged in time)', FEWER_THAN_3, '0']);
    // No cell of the concern tables is a bare 1 or 2.
    for (const t of r.tables.filter((t) => !['training', 'aup'].includes(t.id))) for (const cells of t.rows) for (const c of cells.slice(1)) expect({ table: t.id, cell: c }).not.toEqual({ table: t.id, cell: expect.stringMatching(/^[12]$/) });
  });

  it('times to acknowledge are shown only when at least 3 concerns were acknowledged', () => {
    const r = buildGovernorsReport(inputs());
    expect(row(r, 'acknowledgement', 'Acknowledged')).toEqual(['Acknowledged', '3', FEWER_THAN_3]);
    expect(row(r, 'acknowledgement', 'Median time to acknowledge')).toEqual(['Median time to acknowledge', '30 min', 'not shown (fewer than 3 acknowledged)']);
    expect(row(r, 'acknowledgement', 'Not yet acknowledged')).toEqual(['Not yet acknowledged', '4', '0']);
  });

  it('training and AUP sign-off as shares of those they apply to; courses that apply to nobody are left out', () => {
    const r = buildGovernorsReport(inputs());
    expect(table(r, 'training').rows).toEqual([['Prevent duty training', '12', '91%']]);
    expect(table(r, 'aup').rows).toEqual([['Staff AUP', '40', '75%']]);
  });

  it('without a term before, one column; the filtering log\'s lines, when there are some, follow the concern counts', () => {
    const r = buildGovernorsReport(inputs({ previousTerm: undefined, previous: undefined, previousFiltering: undefined, filtering: { filteringBreaches: 0, monitoringAlerts: 3, log: [{ label: 'Filtering changes logged', value: '5' }] } }));
    expect(r.previousTerm).toBeUndefined();
    expect(table(r, 'category').columns).toEqual(['Category', 'Autumn 2026']);
    expect(table(r, 'filtering').rows).toEqual([['Filtering breaches reported', '0'], ['Monitoring alerts raised as concerns', '3'], ['Filtering changes logged', '5']]);
  });

  it('concerns about staff are one total-only row for those routing does not give them to', () => {
    const staff = facts(4, { category: 'staffAllegation', staffInvolvedId: 'chris', everRecipients: [{ id: 'helen', role: 'headteacher' }] });
    const r = buildGovernorsReport(inputs({ thisTerm: aggregateTrends([...all, ...staff], { from: autumn.start, to: autumn.end }, { id: 'gill', roles: ['governors'] }, setup) }));
    expect(row(r, 'category', 'Concerns about staff (numbers only: the details go to the Headteacher or the Chair)')?.slice(0, 2)).toEqual(['Concerns about staff (numbers only: the details go to the Headteacher or the Chair)', '4']);
    expect(table(r, 'summary').note).toBe('Concerns about staff are counted in the total only.');
  });
});
