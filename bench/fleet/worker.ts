/**
 * One worker process of the fleet benchmark: a share of the fleet's headless kiosk cores (createKiosk with
 * detection off, the controller simulator in-process with instant timings, each core with its own data
 * folder), driven by messages from bench/fleet/run.ts over the IPC channel. Several cores per process keeps
 * 200 kiosks within one computer; RSS per core is (process RSS − the RSS before the first core) / cores.
 */
import { createKiosk } from '../../src/app/create-kiosk.js';
import { kioskConfig } from '../../src/app/config-schema.js';
import type { KioskContext } from '../../src/app/context.js';
import { setLogLevel } from '../../src/log/logger.js';
import { eventually } from '../../test/helpers/eventually.js';
import type { CoreReport, ToWorker, FromWorker } from './messages.js';

setLogLevel((process.env.RVM_FLEET_LOG as 'error' | undefined) ?? 'error');

const cores: KioskContext[] = [];
const reply = (message: FromWorker) => process.send?.(message);
/** RSS after a full collection (the workers run with --expose-gc), so garbage not yet collected is not counted. */
const memory = (): { rss: number; heapUsed: number } => {
  (globalThis as { gc?: () => void }).gc?.();
  const { rss, heapUsed } = process.memoryUsage();
  return { rss, heapUsed };
};

async function start(specs: Array<{ index: number; dataDir: string }>, config: Record<string, unknown>): Promise<void> {
  const { rss: rssBaseline, heapUsed: heapBaseline } = memory();
  const startupMs: number[] = [];
  for (const spec of specs) {
    const t = performance.now();
    cores.push(await createKiosk(kioskConfig.parse({ ...config, dataDir: spec.dataDir, machineName: `Fleet ${spec.index}` })));
    startupMs.push(performance.now() - t);
  }
  reply({ type: 'started', startupMs, rssBaseline, heapBaseline, rss: memory().rss });
}

function report(): CoreReport[] {
  return cores.map((core) => {
    const server = core.core.current('server.state');
    return {
      link: server?.link ?? 'unknown',
      realtime: server?.realtime ?? 'unknown',
      ready: core.core.current('system.status')?.state === 'ready',
      state: [core.core.current('system.status')?.state ?? 'unknown', ...(core.core.current('system.status')?.reasons ?? [])].join(' '),
      pending: core.core.current('outbox.state')?.pending ?? -1,
    };
  });
}

/** One guest session per core with `items` PET bottles; the accepted items' ids (the credits' client ids). */
async function deposit(items: number): Promise<string[]> {
  const ids: string[] = [];
  // A few at a time: all of them at once would measure this process's event loop, not the kiosks.
  const queue = [...cores];
  const lane = async (): Promise<void> => {
    for (let kiosk = queue.shift(); kiosk; kiosk = queue.shift()) ids.push(...(await session(kiosk, items)));
  };
  await Promise.all(Array.from({ length: 8 }, lane));
  return ids;
}

async function session({ core }: KioskContext, items: number): Promise<string[]> {
  await eventually(
    () => {
      const status = core.current('system.status');
      const phase = core.current('session.state')?.phase ?? 'idle';
      if (status?.state !== 'ready' || !['idle', 'finished'].includes(phase)) throw new Error(`machine ${status?.state} (${JSON.stringify(status?.reasons)}), session ${phase}`);
    },
    { what: 'an idle, ready machine', timeoutMs: 60_000, intervalMs: 50 },
  );
  await core.call('session.start', { mode: 'guest' });
  for (let i = 0; i < items; i += 1) {
    await eventually(() => core.current('session.state')?.phase === 'active', { what: 'the session to take an item', timeoutMs: 60_000, intervalMs: 20 });
    await core.call('hardware.simulateInsert', { kind: 'pet', weightGrams: 20 + i });
    await eventually(() => (core.current('session.state')?.items.length ?? 0) > i, { what: `item ${i + 1} to be counted`, timeoutMs: 60_000, intervalMs: 20 });
  }
  await eventually(() => core.current('session.state')?.phase === 'active', { what: 'the last item to settle', timeoutMs: 60_000, intervalMs: 20 });
  const counted = (core.current('session.state')?.items ?? []).filter((item) => item.accepted).map((item) => item.id);
  await core.call('session.finish', {});
  return counted;
}

process.on('message', (message: ToWorker) => {
  const run = async (): Promise<void> => {
    switch (message.type) {
      case 'start':
        return start(message.cores, message.config);
      case 'report': {
        const measured = message.rss ? memory() : { rss: 0, heapUsed: 0 };
        return void reply({ type: 'report', cores: report(), ...measured });
      }
      case 'deposit':
        return void reply({ type: 'deposited', ids: await deposit(message.items) });
      case 'stop':
        await Promise.all(cores.map((c) => c.core.dispose().catch(() => undefined)));
        reply({ type: 'stopped' });
        process.exit(0);
    }
  };
  run().catch((err: unknown) => reply({ type: 'error', message: err instanceof Error ? (err.stack ?? err.message) : String(err) }));
});
// The benchmark went away (killed, crashed): do not linger with 50 kiosks running.
process.on('disconnect', () => process.exit(1));
reply({ type: 'loaded' });
