/**
 * The fuzz run (scripts/fuzz.ts, `npm run fuzz`) in small, with a fixed seed: a few hundred malformed
 * activities, card actions, tab API calls, CSV files, monitoring alerts and setup files against the real server. No crash,
 * no 5xx but a 502/503 with a message, nothing in the error log, no setup refused with anything but a
 * SchoolSetupError, except the known bugs the fuzz report lists (tests/support/fuzzKnown.ts).
 */
import { failed, formatReport } from '../support/fuzzReport';
import { runFuzz, type FuzzReport } from '../support/fuzzRun';

const SEED = 20261123;
const CASES = 250;
let report: FuzzReport;

beforeAll(async () => {
  report = await runFuzz({ seed: SEED, cases: CASES });
}, 60_000);

describe(`a fuzz run of ${CASES} cases`, () => {
  it('crashes nothing and answers every request without an unexpected 5xx or an error in the log', () => {
    // On failure the whole summary is shown: each finding with its smallest case and how to replay it.
    expect(failed(report) ? formatReport(report).join('\n') : 'no findings but the known bugs').toBe('no findings but the known bugs');
  });

  it('reaches every edge and gets past the checks at each: answers that did something, not only refusals', () => {
    const edge = (id: string) => report.edges.find((e) => e.edge === id)!;
    expect(report.edges.map((e) => e.edge)).toEqual(['activities', 'tab', 'csv', 'alerts', 'after', 'setup']);
    expect(edge('activities').outcomes['200']).toBeGreaterThan(20);
    expect(edge('tab').outcomes['200']).toBeGreaterThan(5);
    expect(edge('csv').outcomes['200']).toBeGreaterThan(5);
    expect((edge('alerts').outcomes['202'] ?? 0) + (edge('alerts').outcomes['200'] ?? 0)).toBeGreaterThan(0);
    expect(edge('alerts').outcomes['401']).toBeGreaterThan(0);
    expect(edge('setup').outcomes).toMatchObject({ accepted: expect.any(Number), refused: expect.any(Number) });
    expect(report.cases).toBe(CASES);
  });
});
