/**
 * A demo kiosk's machine, for the socat cleanup tests: starts the simulated machine on a socat pty pair
 * (startSimulatedMachine, as setupHardware does in demo mode), then prints one JSON line naming its child
 * processes (socat, and whatever else it spawned, found in /proc rather than through the pair's API) and
 * the pty folder. No signal handlers: SIGTERM/SIGINT take node's default path, as in a kiosk that has none.
 * It then waits: to be killed, or for SIGUSR2, on which EXIT picks the ending: `dispose` (machine.stop(), then
 * the event loop runs dry), `exit` (process.exit(0)), `throw` (an uncaught exception).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { hardwareConfig } from '../../../src/hardware/config.js';
import { startSimulatedMachine } from '../../../src/hardware/simulator/simulated-machine.js';

const say = (value: object) => process.stdout.write(`${JSON.stringify(value)}\n`);

function childrenOf(parent: number): Array<{ pid: number; comm: string; cmdline: string }> {
  const found: Array<{ pid: number; comm: string; cmdline: string }> = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid !== parent) continue;
      found.push({ pid: Number(entry), comm, cmdline: readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' ') });
    } catch {
      // exited while we looked
    }
  }
  return found;
}

const machine = await startSimulatedMachine(hardwareConfig.parse({ simulator: { transport: 'pty', timings: 'instant' } }));
const children = childrenOf(process.pid);
const socat = children.filter((c) => c.comm === 'socat');
const dir = /link=(\S+)\/host/.exec(socat[0]?.cmdline ?? '')?.[1] ?? null;
say({ ready: true, dir, socat: socat.map((c) => c.pid), others: children.filter((c) => c.comm !== 'socat') });

const keepAlive = setInterval(() => undefined, 60_000);
process.once('SIGUSR2', () => {
  clearInterval(keepAlive);
  const ending = process.env.EXIT ?? 'dispose';
  if (ending === 'dispose') void machine.stop();
  else if (ending === 'exit') process.exit(0);
  else if (ending === 'throw') throw new Error('an uncaught exception in the kiosk');
});
