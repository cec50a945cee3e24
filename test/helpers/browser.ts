/** Debian's Chromium driven by playwright-core (never a downloaded browser). */
import { chromium, type Browser } from 'playwright-core';
import { requireTool } from './tools.js';

export const chromiumPath = requireTool('chromium', ['/usr/bin/chromium', '/usr/bin/chromium-browser']);

export async function launchChromium(): Promise<Browser> {
  if (!chromiumPath) throw new Error('chromium not available');
  return chromium.launch({
    executablePath: chromiumPath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'],
  });
}
