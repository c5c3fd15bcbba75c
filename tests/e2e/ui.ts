// Small page helpers for the e2e tests: polling, chart checks, a generated CSV.
import type { Locator, Page } from 'playwright-core';

/**
 * The few DOM shapes the page-side callbacks use. tsconfig.node has no DOM lib on purpose (core
 * must never touch the DOM), so callbacks read `globalThis as unknown as PageWindow`.
 */
export interface PageNode {
  textContent: string | null;
  getAttribute(name: string): string | null;
  querySelector(selector: string): PageNode | null;
  querySelectorAll(selector: string): ArrayLike<PageNode>;
}
export interface PageCanvas extends PageNode {
  width: number;
  height: number;
  getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> } } | null;
}
export interface PageWindow {
  document: PageNode & { documentElement: { dataset: Record<string, string | undefined> }; body: PageNode };
  getComputedStyle(node: PageNode): { backgroundColor: string };
}

/** Polls `probe` until it returns a value other than undefined/false, or fails naming `what`. */
export async function until<T>(probe: () => Promise<T | undefined | false>, what: string, timeoutMs = 30_000, everyMs = 150): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown = undefined;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}`);
    }
    await new Promise((done) => setTimeout(done, everyMs));
  }
}

export async function textOf(locator: Locator): Promise<string> {
  return ((await locator.textContent()) ?? '').replace(/\s+/g, ' ').trim();
}

/**
 * Waits for a ChartPanel (a test id, or a CSS selector) to report an ECharts 'finished' frame,
 * then counts the painted pixels of its canvases (sampled): many means a chart, not a blank box.
 */
export async function chartInk(page: Page, panelOrTestId: string, timeoutMs = 30_000): Promise<number> {
  const panel = page.locator(/^[\w-]+$/.test(panelOrTestId) ? `[data-testid="${panelOrTestId}"]` : panelOrTestId).first();
  await panel.and(page.locator('[data-drawn="true"]')).waitFor({ timeout: timeoutMs });
  return panel.evaluate((element: PageNode) => {
    let ink = 0;
    for (const canvas of Array.from(element.querySelectorAll('canvas') as ArrayLike<PageCanvas>)) {
      const context = canvas.getContext('2d');
      if (!context || canvas.width === 0 || canvas.height === 0) continue;
      const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
      for (let i = 3; i < data.length; i += 4 * 7) if ((data[i] ?? 0) > 0) ink += 1;
    }
    return ink;
  });
}

/**
 * Viewport points where a chart panel's canvases are painted exactly `hex` (the inside of a
 * series' marks), one per mark, inside the plot area (the legend's icon above it is left out).
 */
export async function findColour(panel: Locator, hex: string, plotTop = 36, plotBottom = 56): Promise<{ x: number; y: number }[]> {
  const rgb = [1, 3, 5].map((at) => Number.parseInt(hex.slice(at, at + 2), 16));
  return panel.evaluate((element: PageNode, [colour, top, bottom]: [number[], number, number]) => {
    type Box = { left: number; top: number; width: number; height: number };
    const found: { x: number; y: number }[] = [];
    for (const canvas of Array.from(element.querySelectorAll('canvas') as ArrayLike<PageCanvas & { getBoundingClientRect(): Box }>)) {
      const context = canvas.getContext('2d');
      if (!context || canvas.width === 0 || canvas.height === 0) continue;
      const box = canvas.getBoundingClientRect();
      const scale = canvas.width / box.width;
      const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
      for (let py = Math.ceil(top * scale); py < canvas.height - bottom * scale; py++) {
        for (let px = 0; px < canvas.width; px++) {
          const i = (py * canvas.width + px) * 4;
          if (data[i] !== colour[0] || data[i + 1] !== colour[1] || data[i + 2] !== colour[2] || data[i + 3] !== 255) continue;
          const x = box.left + px / scale;
          const y = box.top + py / scale;
          if (found.every((mark) => Math.abs(mark.x - x) > 8 || Math.abs(mark.y - y) > 8)) found.push({ x, y: y + 3 });
        }
      }
    }
    return found;
  }, [rgb, plotTop, plotBottom] as [number[], number, number]);
}


/**
 * Fills the open wizard (after Start over) with the 2 x 2 grid on iris the e2e tests use:
 * sgd/adam x learning rates 0.01 and 0.1, batch 16, one worker, `epochs` epochs: 4 trials.
 */
export async function fillIrisGrid(page: Page, epochs: number): Promise<void> {
  await page.getByTestId('wizard-reset').click();
  await page.getByTestId('wizard-dataset-mode-builtin').check();
  await page.getByTestId('wizard-dataset').selectOption('builtin:iris');
  await page.getByTestId('wizard-epochs').fill(String(epochs));
  for (const name of ['sgd', 'adam']) await page.getByTestId(`wizard-optimizer-${name}`).check();
  await page.getByTestId('wizard-lr-low').fill('0.01');
  await page.getByTestId('wizard-lr-high').fill('0.1');
  await page.getByTestId('wizard-lr-points').fill('2');
  await page.getByTestId('wizard-batch-sizes').fill('16');
  await page.getByTestId('wizard-workers').fill('1');
}
/** Rows of the leaderboard as the page shows them, top first. */
export async function leaderboardRows(page: Page): Promise<{ id: number; number: number; state: string; cells: string[] }[]> {
  return page.getByTestId('leaderboard-row').evaluateAll((rows: PageNode[]) =>
    rows.map((row) => ({
      id: Number(row.getAttribute('data-trial-id')),
      number: Number(row.getAttribute('data-trial-number')),
      state: row.getAttribute('data-state') ?? '',
      cells: Array.from(row.querySelectorAll('td')).map((cell) => (cell.textContent ?? '').replace(/\s+/g, ' ').trim()),
    })),
  );
}

/**
 * A small CSV with a text target that is not the last column (so the user has to pick it):
 * `label` is "warm" or "cold" from a noisy linear rule on the numeric features.
 */
export function weatherCsv(rows = 80): string {
  const lines = ['label,temp,humidity,wind,sky'];
  let seed = 12345;
  const next = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const skies = ['clear', 'cloudy', 'rain'];
  for (let i = 0; i < rows; i += 1) {
    const temp = Math.round((next() * 35 - 5) * 10) / 10;
    const humidity = Math.round(next() * 100);
    const wind = Math.round(next() * 300) / 10;
    const sky = skies[Math.floor(next() * skies.length)] ?? 'clear';
    const label = temp + (next() - 0.5) * 6 > 15 ? 'warm' : 'cold';
    lines.push(`${label},${temp},${humidity},${wind},${sky}`);
  }
  return lines.join('\n') + '\n';
}
