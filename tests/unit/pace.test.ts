/**
 * Teams' pace for one conversation (delivery/pace.ts): a burst of cards to one person never goes faster
 * than Teams' per-thread limits allow, other people's chats do not wait for it, and what is still
 * waiting when the server stops is left for the outbox's sweep. Time is jest's fake clock.
 */
import { ConversationPace, TEAMS_THREAD_LIMITS } from '../../delivery/pace';

beforeEach(() => jest.useFakeTimers());
afterEach(() => jest.useRealTimers());

/** The most messages any window of `seconds` holds, from the times they were sent. */
function busiest(times: number[], seconds: number): number {
  let most = 0;
  for (let i = 0; i < times.length; i++) most = Math.max(most, times.filter((t) => t >= times[i] && t < times[i] + seconds * 1000).length);
  return most;
}

describe('ConversationPace', () => {
  it('120 cards to one person keep within every one of Teams\' per-thread limits (7 a second, 8 in 2 s, 60 in 30 s)', async () => {
    const pace = new ConversationPace(1, TEAMS_THREAD_LIMITS, () => Date.now());
    const sent: number[] = [];
    const all = Array.from({ length: 120 }, () => pace.run('dsl', async () => void sent.push(Date.now())));
    await jest.advanceTimersByTimeAsync(120_000);
    await Promise.all(all);
    expect(sent).toHaveLength(120);
    expect(busiest(sent, 1)).toBeLessThanOrEqual(7);
    expect(busiest(sent, 2)).toBeLessThanOrEqual(8);
    expect(busiest(sent, 30)).toBeLessThanOrEqual(60);
    // And no slower than that: the second 60 go in the next 30 seconds.
    expect(sent[119] - sent[0]).toBeLessThan(65_000);
  });

  it('each person\'s chat has its own pace: the Pre-Prep DSL\'s card does not wait behind the OSL\'s hundred', async () => {
    const pace = new ConversationPace(1, [{ count: 2, seconds: 1 }], () => Date.now());
    const times: Record<string, number[]> = { osl: [], dsl: [] };
    const waits = [...Array.from({ length: 100 }, () => pace.run('osl', async () => void times.osl.push(Date.now()))), pace.run('dsl', async () => void times.dsl.push(Date.now()))];
    await jest.advanceTimersByTimeAsync(0);
    expect(times.dsl).toEqual([expect.any(Number)]);
    expect(times.osl).toHaveLength(2);
    await jest.advanceTimersByTimeAsync(60_000);
    await Promise.all(waits);
    expect(times.osl).toHaveLength(100);
  });

  it('a failing send does not stop the ones after it (the outbox keeps the failure for its retry)', async () => {
    const pace = new ConversationPace(1, [{ count: 10, seconds: 1 }], () => Date.now());
    const done: number[] = [];
    const waits = [1, 2, 3].map((n) => pace.run('p', async () => { if (n === 2) throw new Error('429'); done.push(n); }));
    await jest.advanceTimersByTimeAsync(10);
    await Promise.all(waits);
    expect(done).toEqual([1, 3]);
  });

  it('stopping leaves what is waiting unsent (it stays in the outbox for the sweep) and answers every waiter', async () => {
    const pace = new ConversationPace(1, [{ count: 1, seconds: 1 }], () => Date.now());
    let ran = 0;
    const waits = Array.from({ length: 5 }, () => pace.run('p', async () => void ran++));
    await jest.advanceTimersByTimeAsync(10);
    pace.stop();
    await jest.advanceTimersByTimeAsync(10_000);
    await Promise.all(waits);
    expect(ran).toBe(1);
    await pace.run('p', async () => void ran++);
    expect(ran).toBe(1);
  });

  it('says how long a message queued now may wait, from the slowest sustained limit, so the outbox holds it at least that long', async () => {
    const pace = new ConversationPace(1, [{ count: 60, seconds: 30 }], () => Date.now());
    expect(pace.waitMs(['a'])).toBe(500);
    void Array.from({ length: 120 }, () => pace.run('a', () => new Promise<void>(() => undefined)));
    expect(pace.waitMs(['a', 'b'])).toBeGreaterThanOrEqual(119 * 500);
    // The scale (TEAMS_PACE_SCALE, tests only) multiplies every limit.
    expect(new ConversationPace(20, [{ count: 60, seconds: 30 }]).waitMs(['x'])).toBe(25);
  });
});
