/**
 * Driving the tab in Chromium in local mode (tests/browser): the API as a demo person, the page opened
 * as one, and a check retried while the page renders.
 */
import type { Page } from 'playwright-core';
import type { TestPerson } from './people';

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
