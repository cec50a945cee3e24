/**
 * The kiosk core the soak (bench/soak.ts) kills with SIGKILL and starts again: the whole core of
 * src/app/create-kiosk.ts — serial driver on the pty whose other end the soak's controller simulator holds,
 * real detection (shipped model, folder camera on the demo photos), the MyRVM link to the soak's server
 * simulator, the durable outbox and item custody — over the data folder the soak gives it.
 *
 * It speaks JSON lines. stdin: `{"go":<config>}` once (the kiosk configuration; everything before it is
 * module loading, so the soak can have the next core loaded while the current one works), then
 * `{"id":n,"name":"session.start","payload":{…}}` contract calls, answered `{"reply":n,"ok":…}`. stdout:
 * `{"loaded":true}`, `{"ready":true}`, and what a screen would see, as it happens: `{"ev":"item",…}` per item
 * the session settled (with `accepted` — what the recycler is told), `{"ev":"phase"}`, `{"ev":"status"}`,
 * `{"ev":"hw"}`, `{"ev":"server"}`, `{"ev":"outbox"}` when those change.
 */
import { createInterface } from 'node:readline';
import { kioskConfig } from '../../src/app/config-schema.js';
import { createKiosk } from '../../src/app/create-kiosk.js';
import type { KioskContext } from '../../src/app/context.js';
import type { CommandName } from '../../src/contract/index.js';
import { setLogLevel } from '../../src/log/logger.js';

const say = (value: object): void => void process.stdout.write(`${JSON.stringify(value)}\n`);
setLogLevel((process.env.SOAK_LOG_LEVEL as 'error' | 'warn' | 'info' | undefined) ?? 'error');

let kiosk: KioskContext | null = null;
const lines = createInterface({ input: process.stdin });
lines.on('line', (text) => void onLine(text));
// The parent going away (it died, or the soak is over) ends this core too.
lines.on('close', () => process.exit(0));
say({ loaded: true });

async function onLine(text: string): Promise<void> {
  let message: { go?: unknown; id?: number; name?: string; payload?: unknown };
  try {
    message = JSON.parse(text) as typeof message;
  } catch {
    say({ error: `not JSON: ${text.slice(0, 80)}` });
    return;
  }
  if (message.go !== undefined && !kiosk) {
    kiosk = await createKiosk(kioskConfig.parse(message.go));
    watch(kiosk);
    say({ ready: true });
    return;
  }
  if (!kiosk || message.id === undefined || !message.name) return;
  try {
    const result = await kiosk.core.call(message.name as CommandName, (message.payload ?? {}) as never);
    say({ reply: message.id, ok: true, result });
  } catch (err) {
    say({ reply: message.id, ok: false, error: err instanceof Error ? err.message : String(err) });
  }
}

/** Forward what a screen would see, only when it changes. */
function watch({ core }: KioskContext): void {
  const last = new Map<string, string>();
  const changed = (key: string, value: unknown): boolean => {
    const text = JSON.stringify(value);
    if (last.get(key) === text) return false;
    last.set(key, text);
    return true;
  };
  const seen = new Set<string>();
  const forward = (name: string, payload: unknown): void => {
    if (name === 'session.state') {
      const state = payload as { phase: string; sessionId: string | null; items: Array<{ id: string; accepted: boolean; outcome: string; returned: boolean; material: string }> };
      for (const item of state.items) {
        if (seen.has(item.id)) continue;
        seen.add(item.id);
        say({ ev: 'item', sessionId: state.sessionId, id: item.id, accepted: item.accepted, outcome: item.outcome, returned: item.returned, material: item.material });
      }
      if (changed('phase', state.phase)) say({ ev: 'phase', phase: state.phase, sessionId: state.sessionId });
    } else if (name === 'system.status') {
      const status = payload as { state: string; reasons: Array<{ code: string }>; notices: Array<{ code: string }> };
      const view = { state: status.state, reasons: status.reasons.map((r) => r.code), notices: status.notices.map((n) => n.code) };
      if (changed('status', view)) say({ ev: 'status', ...view });
    } else if (name === 'hardware.state') {
      const status = (payload as { status: string }).status;
      if (changed('hw', status)) say({ ev: 'hw', status });
    } else if (name === 'server.state') {
      const state = payload as { link: string; realtime: string };
      const view = { link: state.link, realtime: state.realtime };
      if (changed('server', view)) say({ ev: 'server', ...view });
    } else if (name === 'outbox.state') {
      const pending = (payload as { pending: number }).pending;
      if (changed('outbox', pending)) say({ ev: 'outbox', pending });
    }
  };
  core.subscribe(forward);
  // What was emitted while the kiosk started, before this listener existed.
  for (const name of ['system.status', 'hardware.state', 'server.state', 'outbox.state', 'session.state'] as const) {
    const payload = core.current(name);
    if (payload) forward(name, payload);
  }
}
