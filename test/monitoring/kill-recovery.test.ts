/**
 * A real crash: a child process (tsx) feeds monitoring and is killed with SIGKILL mid-stream; the history
 * and the alert log are then opened again. Every reading and every alert transition the child had confirmed
 * (its fsync had returned) must be there.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { monitoringConfig } from '../../src/monitoring/config.js';
import { Monitoring } from '../../src/monitoring/monitoring.js';
import { makeTempDir, spawnTsx, type JsonChild } from '../helpers/outbox.js';

const CHILD = fileURLToPath(new URL('./fixtures/monitoring-child.ts', import.meta.url));
let dir: string;
let cleanup: () => Promise<void>;
const children: JsonChild[] = [];

beforeEach(async () => {
  ({ dir, cleanup } = await makeTempDir('rvm-monitoring-kill-'));
});
afterEach(async () => {
  for (const child of children.splice(0)) if (child.proc.exitCode === null) child.proc.kill('SIGKILL');
  await cleanup();
});

describe('monitoring under kill -9', () => {
  it('loses no reading and no alert transition that was confirmed before the kill', async () => {
    const child = spawnTsx(CHILD, { MONITORING_DIR: path.join(dir, 'monitoring') });
    children.push(child);
    await child.waitFor((l) => typeof l.round === 'number' && l.round >= 60, '61 confirmed rounds');
    child.proc.kill('SIGKILL');
    await child.exited;

    const rounds = child.lines.flatMap((l) => (typeof l.round === 'number' ? [{ round: l.round, at: l.at as number }] : []));
    const transitions = child.lines.flatMap((l) => (typeof l.transition === 'string' ? [{ to: l.transition, id: l.id as string }] : []));
    expect(rounds.length).toBeGreaterThan(60);

    const monitoring = await Monitoring.open(path.join(dir, 'monitoring'), {
      settings: monitoringConfig.parse({ rules: { temperature_high: { threshold: 55, durationMs: 0, hysteresis: 3 } } }),
      rules: { binFullPercent: 90, binFullConfigured: false },
    });
    try {
      const weights = new Set(monitoring.history.query('machine.weight', 0, Date.now() + 60_000).map((p) => p.value));
      for (const { round } of rounds) expect(weights.has(round * 10), `weight of round ${round}`).toBe(true);
      for (const { to, id } of transitions) {
        expect(monitoring.alerts.get(id)?.history.map((h) => h.status), `alert ${id} ${to}`).toContain(to);
      }
      // Alternating rounds raise and resolve: at most the last alert is still open after the crash.
      expect(monitoring.alerts.open().length).toBeLessThanOrEqual(1);
      expect(monitoring.alerts.list().total).toBeGreaterThanOrEqual(Math.floor(rounds.length / 2));
    } finally {
      await monitoring.close();
    }
  });
});
