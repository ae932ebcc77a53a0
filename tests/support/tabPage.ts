/**
 * Driving the tab in Chromium in local mode (tests/browser): the API as a demo person, the page opened
 * as one, and a check retried while the page renders.
 */
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './browser';
import type { TestPerson } from './people';
import { startWorld, type World, type WorldOptions } from './world';

/**
 * A server of the test file's own and Chromium, started at the same time. If either cannot start, the
 * other is stopped again and the first error thrown.
 */
export async function startWorldAndBrowser(opts: WorldOptions = {}): Promise<{ w: World; browser: Browser }> {
  const [world, b] = await Promise.allSettled([startWorld(opts), launchChromium()]);
  if (world.status === 'fulfilled' && b.status === 'fulfilled') return { w: world.value, browser: b.value };
  await Promise.allSettled([world.status === 'fulfilled' ? world.value.stop() : undefined, b.status === 'fulfilled' ? b.value.close() : undefined]);
  throw world.status === 'rejected' ? world.reason : (b as PromiseRejectedResult).reason;
}

/**
 * A page for one test, its sessionStorage cleared (the tab keeps the demo person and its place there);
 * with `timeoutMs`, a step that cannot happen fails with what it waited for, well before the test's own
 * time runs out.
 */
export async function freshPage(browser: Browser, timeoutMs?: number): Promise<Page> {
  const page = await browser.newPage();
  if (timeoutMs !== undefined) page.setDefaultTimeout(timeoutMs);
  await page.addInitScript(() => sessionStorage.clear());
  return page;
}

/** The tab's API as a demo person (local mode's header); the answer's JSON, or an error naming the route. */
export async function demoApi(url: string, person: TestPerson, route: string, body?: unknown): Promise<any> {
  const res = await fetch(`${url}/api/tab${route}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'x-demo-user': person.id, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (res.status >= 300) throw new Error(`${route}: ${res.status} ${await res.text()}`);
  return res.json();
}

/** Opens the tab at `query` and picks the person in local mode's picker. */
export async function openAs(page: Page, url: string, person: TestPerson, query = ''): Promise<void> {
  await page.goto(`${url}/tab/${query}`);
  await page.getByLabel('Demo person').selectOption(person.id);
  await page.getByRole('button', { name: 'Open', exact: true }).click();
}

/** Retries until the check passes (the page renders asynchronously), then returns. */
export async function eventually<T>(read: () => Promise<T>, check: (value: T) => void, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      check(await read());
      return;
    } catch (err) {
      if (Date.now() > until) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
