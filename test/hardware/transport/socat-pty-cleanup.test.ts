/**
 * Demo pty cleanup: a kiosk in demo mode runs socat with a `/tmp/rvm-pty-*` folder. Whatever ends the kiosk,
 * kill -9 included, socat must be gone and the folder removed within a few seconds — and when even the
 * watchdog is lost (kill -9 of the whole group), the next start sweeps what was left. Real child processes
 * (tsx), as in test/outbox/kill-recovery.test.ts.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { socatAvailable } from '../../../src/hardware/transport/socat-pty.js';
import { eventually } from '../../helpers/eventually.js';
import { spawnTsx, type JsonChild } from '../../helpers/outbox.js';

const CHILD = fileURLToPath(new URL('../fixtures-child/pty-owner-child.ts', import.meta.url));
const describeWithSocat = socatAvailable() && existsSync('/proc/self/stat') ? describe : describe.skip;

interface Ready {
  dir: string;
  socat: number[];
  others: Array<{ pid: number; comm: string; cmdline: string }>;
}

const children: JsonChild[] = [];
const leftovers: Ready[] = [];

/** Still a process naming the folder (a zombie has an empty command line, so it counts as gone). */
function namesDir(pid: number, dir: string): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(dir);
  } catch {
    return false;
  }
}

async function startKiosk(env: Record<string, string> = {}): Promise<{ child: JsonChild; ready: Ready }> {
  const child = spawnTsx(CHILD, env);
  children.push(child);
  const ready = (await child.waitFor((l) => l.ready === true, 'the simulated machine on a pty')) as unknown as Ready;
  leftovers.push(ready);
  expect(ready.dir).toMatch(/rvm-pty-/);
  expect(ready.socat).toHaveLength(1);
  expect(namesDir(ready.socat[0]!, ready.dir)).toBe(true);
  expect(existsSync(`${ready.dir}/host`)).toBe(true);
  return { child, ready };
}

async function cleanedUp(ready: Ready, what: string): Promise<void> {
  const socat = ready.socat[0]!;
  await eventually(
    () => {
      if (namesDir(socat, ready.dir)) throw new Error(`socat ${socat} is still running`);
      if (existsSync(ready.dir)) throw new Error(`${ready.dir} still exists`);
      return true;
    },
    { what, timeoutMs: 5_000 },
  );
}

afterEach(async () => {
  for (const child of children.splice(0)) if (child.proc.exitCode === null && child.proc.signalCode === null) child.proc.kill('SIGKILL');
  // Whatever a failing run left behind.
  for (const ready of leftovers.splice(0)) {
    for (const pid of [...ready.socat, ...ready.others.map((o) => o.pid)]) if (namesDir(pid, ready.dir)) process.kill(pid, 'SIGKILL');
    rmSync(ready.dir, { recursive: true, force: true });
  }
});

describeWithSocat('demo pty cleanup', () => {
  it.each([
    ['kill -9', 'SIGKILL'],
    ['SIGTERM with no handler', 'SIGTERM'],
    ['SIGINT with no handler', 'SIGINT'],
  ] as const)('stops socat and removes its folder after %s of the kiosk', async (_name, signal) => {
    const { child, ready } = await startKiosk();
    child.proc.kill(signal);
    await child.exited;
    await cleanedUp(ready, `socat and ${ready.dir} gone after ${signal}`);
  });

  it.each([
    ['an uncaught exception', 'throw'],
    ['process.exit()', 'exit'],
    ['dispose (machine.stop)', 'dispose'],
  ] as const)('stops socat and removes its folder after %s', async (_name, ending) => {
    const { child, ready } = await startKiosk({ EXIT: ending });
    child.proc.kill('SIGUSR2');
    const code = await child.exited;
    expect(code).toBe(ending === 'throw' ? 1 : 0);
    await cleanedUp(ready, `socat and ${ready.dir} gone after ${ending}`);
  });

  it('sweeps what a kill -9 of the whole group left (watchdog included) at the next start', async () => {
    const first = await startKiosk();
    // The group dies except socat: everything the kiosk spawned besides socat, then the kiosk itself.
    for (const other of first.ready.others) process.kill(other.pid, 'SIGKILL');
    first.child.proc.kill('SIGKILL');
    await first.child.exited;
    expect(namesDir(first.ready.socat[0]!, first.ready.dir)).toBe(true); // nothing left to clean up...
    expect(existsSync(first.ready.dir)).toBe(true);

    const second = await startKiosk(); // ...until the next start
    await cleanedUp(first.ready, `the next start to sweep ${first.ready.dir}`);
    expect(existsSync(second.ready.dir)).toBe(true);
    second.child.proc.kill('SIGKILL');
    await second.child.exited;
    await cleanedUp(second.ready, 'the second kiosk cleaned up too');
  });
});
