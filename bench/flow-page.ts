/**
 * The Chromium side of `bench:flow`: the kiosk page, a mark for "the result is on the screen", and the offset
 * between Chromium's clock and ours. The insert is timed in Node (where the simulated item goes in) and the
 * result in the page (where it appears), so both read the wall clock at high resolution
 * (performance.timeOrigin + performance.now()) and the page's reading is shifted by the offset measured with
 * the shortest of many round trips, as NTP does; half that round trip bounds the error.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));

export const nowEpoch = (): number => performance.timeOrigin + performance.now();

export async function openKioskPage(url: string): Promise<{ browser: Browser; page: Page }> {
  if (!CHROMIUM) throw new Error('bench:flow needs Debian\'s chromium (apt-get install chromium)');
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'],
  });
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  // Injected through the DevTools protocol on every load, so the kiosk's Content-Security-Policy allows it.
  await page.addInitScript(PAGE_SCRIPT);
  await page.goto(url);
  return { browser, page };
}

/**
 * In the page: `__flowArm()` remembers what the result area shows now; `__flowShown` then resolves with the time
 * of the first DOM change after which it shows something else (the MutationObserver runs right after React's
 * commit, before paint). What counts: the last-item element, the item list's length, the points and item count.
 */
const PAGE_SCRIPT = `
(() => {
  const text = (id) => document.querySelector('[data-testid="' + id + '"]')?.textContent ?? '';
  const signature = () => [
    document.querySelector('[data-testid="last-item"]')?.outerHTML ?? '',
    document.querySelectorAll('[data-testid="item-list"] li').length,
    text('session-points'),
    text('items-accepted'),
  ].join('|');
  window.__flowArm = () => {
    const before = signature();
    window.__flowShown = new Promise((resolve) => {
      const observer = new MutationObserver(() => {
        const at = performance.timeOrigin + performance.now();
        if (!document.querySelector('[data-testid="last-item"]') || signature() === before) return;
        observer.disconnect();
        resolve(at);
      });
      observer.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
    });
  };
})();
`;

/** Chromium's clock minus ours, from the quickest of `rounds` round trips; `errorMs` is half that round trip. */
export async function clockOffset(page: Page, rounds = 40): Promise<{ offsetMs: number; errorMs: number }> {
  let best = { rtt: Infinity, offsetMs: 0 };
  for (let i = 0; i < rounds; i++) {
    const sent = nowEpoch();
    const remote = await page.evaluate(() => performance.timeOrigin + performance.now());
    const received = nowEpoch();
    if (received - sent < best.rtt) best = { rtt: received - sent, offsetMs: remote - (sent + received) / 2 };
  }
  return { offsetMs: best.offsetMs, errorMs: best.rtt / 2 };
}

export async function armResultMark(page: Page): Promise<void> {
  await page.evaluate(() => (globalThis as unknown as { __flowArm: () => void }).__flowArm());
}

/** When (Chromium's clock) the armed change appeared; rejects after `timeoutMs`. */
export async function resultShownAt(page: Page, timeoutMs: number): Promise<number> {
  return page.evaluate(
    (ms) => Promise.race([(globalThis as unknown as { __flowShown: Promise<number> }).__flowShown, new Promise<number>((_, reject) => setTimeout(() => reject(new Error(`no result on screen within ${ms} ms`)), ms))]),
    timeoutMs,
  );
}
