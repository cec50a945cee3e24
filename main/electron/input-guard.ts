/**
 * Keeps a customer (or a plugged-in keyboard) from reloading the page, opening devtools, zooming, printing or
 * walking history. The application menu is removed as well (window.ts), which takes its accelerators with it;
 * this guard catches what Chromium itself handles. Pinch-zoom is fixed with setVisualZoomLevelLimits(1, 1).
 */
import type { Input, WebContents } from 'electron';
import { createLogger } from '../../src/log/logger.js';

const log = createLogger('electron.input');

const ALWAYS_BLOCKED = new Set(['F5', 'F11', 'F12', 'BrowserBack', 'BrowserForward', 'BrowserRefresh', 'BrowserHome', 'ZoomIn', 'ZoomOut']);
// With Ctrl or Cmd: reload, devtools (i/j/c with shift), close/quit/new, print, save, open, view source, find, zoom.
const BLOCKED_WITH_CTRL = new Set(['r', 'i', 'j', 'w', 'q', 'n', 't', 'p', 's', 'o', 'u', 'f', 'g', 'h', 'l', '+', '-', '=', '_', '0']);
const BLOCKED_WITH_ALT = new Set(['ArrowLeft', 'ArrowRight', 'Home', 'F4']);

export type KeyInput = Pick<Input, 'key' | 'control' | 'meta' | 'alt' | 'shift'>;

export function isBlockedInput(input: KeyInput): boolean {
  if (ALWAYS_BLOCKED.has(input.key)) return true;
  const key = input.key.length === 1 ? input.key.toLowerCase() : input.key;
  if (input.control || input.meta) {
    // Plain Ctrl+C stays usable for copying in the maintenance screen; with Shift it opens the inspector.
    if (key === 'c') return input.shift;
    return BLOCKED_WITH_CTRL.has(key);
  }
  return input.alt && BLOCKED_WITH_ALT.has(key);
}

export function guardInput(contents: WebContents): void {
  contents.on('before-input-event', (event, input) => {
    if (!isBlockedInput(input)) return;
    event.preventDefault();
    log.info('blocked a key', { key: input.key, control: input.control, meta: input.meta, alt: input.alt });
  });
  // Ctrl+wheel zoom does not pass through before-input-event; undo it.
  contents.on('zoom-changed', () => contents.setZoomFactor(1));
  void contents.setVisualZoomLevelLimits(1, 1);
}
