// Per-file e2e fixture: a real `tunebench serve`, a headless Chromium page on its URL, console and
// page errors collected (an unexpected one fails the test), screenshots, and a direct API client.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { ApiMethod, ApiRequest, ApiResponse, TunebenchApi } from '../../core/api/contract.js';
import { callPrefix } from '../../core/api/http.js';
import { launchChromium, repoRoot, startServe, type ServeProcess } from './server.js';

export const screenshotDir = join(repoRoot, 'test-results', 'screenshots');

export interface E2eApp {
  serve: ServeProcess;
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** Console errors and uncaught page errors since the last test ended. */
  errors: string[];
  /** Errors matching this are expected in the current test (e.g. a 400 for a bad CSV). */
  allowErrors(pattern: RegExp): void;
  /** Loads the app afresh on a hash route, e.g. `#/study/1`. */
  open(hash?: string): Promise<void>;
  /** Calls the API as a script would (bearer token), to check what the UI shows. */
  call<M extends ApiMethod>(method: M, request: ApiRequest<M>): Promise<ApiResult<M>>;
}

/**
 * Writes a PNG to test-results/screenshots/<name>.png, full page unless `fullPage` is false (a
 * modal's backdrop covers the viewport only, so a full-page shot of it looks half-dimmed).
 */
export async function screenshot(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<string> {
  mkdirSync(screenshotDir, { recursive: true });
  const path = join(screenshotDir, `${name}.png`);
  // From the top: a scrolled page paints its sticky header mid-image in a full-page shot.
  if (options.fullPage ?? true) await page.evaluate(() => (globalThis as unknown as { scrollTo(x: number, y: number): void }).scrollTo(0, 0));
  await page.screenshot({ path, fullPage: options.fullPage ?? true });
  return path;
}

/** What `domain.method` of the API resolves to, e.g. ApiResult<'trials.page'> is TrialPage. */
export type ApiResult<M extends ApiMethod> = M extends `${infer D}.${infer F}`
  ? D extends keyof TunebenchApi
    ? F extends keyof TunebenchApi[D]
      ? TunebenchApi[D][F] extends (...args: never[]) => Promise<infer R>
        ? R
        : never
      : never
    : never
  : never;

/** Registers beforeAll/afterEach/afterAll hooks; the returned getter is valid inside tests. */
export function useApp(): () => E2eApp {
  let app: E2eApp | null = null;
  let allowed: RegExp[] = [];

  beforeAll(async () => {
    const serve = await startServe();
    const browser = await launchChromium().catch(async (error: unknown) => {
      await serve.stop();
      throw error;
    });
    const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1360, height: 900 }, colorScheme: 'light' });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('console', (message) => {
      if (message.type() !== 'error') return;
      const where = message.location();
      errors.push(`console: ${message.text()}${where.url ? ` (${where.url}:${where.lineNumber})` : ''}`);
    });
    page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
    const origin = new URL(serve.url).origin;
    const token = new URL(serve.url).searchParams.get('token') ?? '';
    app = {
      serve,
      browser,
      context,
      page,
      errors,
      allowErrors: (pattern) => void allowed.push(pattern),
      async open(hash = '#/') {
        // Via about:blank: a hash-only change would keep the old document and its stores.
        await page.goto('about:blank');
        await page.goto(`${origin}/${hash}`);
      },
      async call<M extends ApiMethod>(method: M, request: ApiRequest<M>): Promise<ApiResult<M>> {
        const response = await fetch(origin + callPrefix + method, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify(request),
        });
        const body = (await response.json()) as ApiResponse<ApiResult<M>>;
        if (!body.ok) throw new Error(`${method}: ${body.error.code} ${body.error.message}`);
        return body.value;
      },
    };
    // The printed URL sets the token cookie and redirects to the app without the token.
    await page.goto(serve.url);
    await page.getByTestId('nav-studies').waitFor();
  });

  afterEach(() => {
    if (!app) return;
    const unexpected = app.errors.filter((text) => !allowed.some((pattern) => pattern.test(text)));
    app.errors.length = 0;
    allowed = [];
    if (unexpected.length > 0) throw new Error(`unexpected browser errors:\n${unexpected.join('\n')}`);
  });

  afterAll(async () => {
    const current = app;
    app = null;
    if (!current) return;
    await current.browser.close().catch(() => {});
    await current.serve.stop();
  });

  return () => {
    if (!app) throw new Error('e2e app not started (beforeAll failed?)');
    return app;
  };
}
