/**
 * `npm run sim:machine` — the controller simulator as a standalone program, for an installer or developer
 * without the real machine. Either on a given port (a real adapter looped to the kiosk, or one end of a
 * pty the user made) or on a fresh socat pair whose host end it prints. Typed commands on stdin play the
 * recycler and the faults.
 */
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { isBin } from '../protocol/messages.js';
import { SocatPtyPair } from '../transport/socat-pty.js';
import { DEFAULT_SERIAL } from '../transport/serial-link.js';
import { ControllerSimulator, DEFAULT_SIMULATOR_OPTIONS } from './controller-simulator.js';
import { InsertRefused, type ModelFault } from './machine-model.js';
import { runSimulatorOnPort } from './port-runner.js';
import { INSTANT_TIMINGS, ITEM_KINDS, REALISTIC_TIMINGS, type ItemKind } from './sim-settings.js';

const HELP = `usage: npm run sim:machine -- (--port <path> | --pty) [--baud 115200] [--dialect rvm1|myrvm-legacy] [--timings realistic|instant] [--belt 1-8]

  --belt N   items the conveyor carries at once (default 3; 1 = one at a time, protocol 2)

commands:
  insert <pet|can|glass|other> [grams]   put an item in the intake
  fault <jam|sensor_stuck|overcurrent|pulled_back> [on|off]
  full <plastic|can|glass> [percent]      set a bin's fill level (default 100)
  drop-link [ms]                          go silent (default 8000 ms)
  garbage [bytes]                         send line noise (default 64)
  forge-drop [bin]                        forge ITEM 1, WT and DROP with nothing in the intake
  replay-drop                             send the last DROP frame again, byte for byte
  where <item id>                         what the controller would answer to WHERE
  reboot | status | help | quit`;

const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    pty: { type: 'boolean', default: false },
    baud: { type: 'string', default: String(DEFAULT_SERIAL.baudRate) },
    dialect: { type: 'string', default: 'rvm1' },
    timings: { type: 'string', default: 'realistic' },
    belt: { type: 'string', default: '3' },
    help: { type: 'boolean', default: false },
  },
});

const belt = Number(values.belt);
if (values.help || (!values.port && !values.pty) || !['rvm1', 'myrvm-legacy'].includes(values.dialect) || !(Number.isInteger(belt) && belt >= 1 && belt <= 8)) {
  console.log(HELP);
  process.exit(values.help ? 0 : 2);
}

const sim = new ControllerSimulator({
  ...DEFAULT_SIMULATOR_OPTIONS,
  dialect: values.dialect as 'rvm1' | 'myrvm-legacy',
  timings: values.timings === 'instant' ? INSTANT_TIMINGS : REALISTIC_TIMINGS,
  belt,
});
sim.onTrace((line) => console.log(line));

const pair = values.pty ? await SocatPtyPair.create('rvm-sim-') : null;
const portPath = pair ? pair.devicePath : (values.port as string);
const running = runSimulatorOnPort(sim, portPath, { ...DEFAULT_SERIAL, baudRate: Number(values.baud) });
console.log(`controller simulator (${values.dialect}) on ${portPath}`);
if (pair) console.log(`point the kiosk at it:  hardware: { mode: "serial", serial: { path: "${pair.hostPath}" } }`);
// Keeps the process alive while the port is away (the reconnect timers do not).
const keepAlive = setInterval(() => undefined, 60_000);

function run(line: string): void {
  const [verb, arg, extra] = line.trim().split(/\s+/);
  switch (verb) {
    case undefined:
    case '':
      return;
    case 'insert': {
      if (!ITEM_KINDS.includes(arg as ItemKind)) return console.log('insert what? pet, can, glass or other');
      const item = sim.model.insertItem(arg as ItemKind, extra ? Number(extra) : undefined);
      return console.log(`inserted ${item.kind}, ${item.weightGrams} g`);
    }
    case 'fault': {
      if (!['jam', 'sensor_stuck', 'overcurrent', 'pulled_back'].includes(arg ?? '')) return console.log('fault: jam, sensor_stuck, overcurrent or pulled_back');
      return sim.model.setFault(arg as ModelFault, extra !== 'off');
    }
    case 'full':
      if (!isBin(arg) || arg === 'reject') return console.log('full: plastic, can or glass');
      return sim.model.setBinPercent(arg, extra ? Number(extra) : 100);
    case 'drop-link': return sim.dropLink(arg ? Number(arg) : 8000);
    case 'garbage': return sim.sendGarbage(arg ? Number(arg) : 64);
    case 'forge-drop': {
      const bin = isBin(arg) ? arg : 'plastic';
      sim.forge({ type: 'item', present: true });
      sim.forge({ type: 'weight', grams: 24 });
      return sim.forge({ type: 'drop', bin });
    }
    case 'replay-drop': {
      const frame = sim.replay();
      return console.log(frame ? `replayed DROP #${frame.seq} (${frame.framesSince} frames later)` : 'no DROP sent yet');
    }
    case 'where': return console.log(arg ? sim.model.whereIs(arg) : 'where what? an item id');
    case 'reboot': return sim.reboot();
    case 'status': return console.log(sim.model.statusData(), sim.attached ? 'host port open' : 'port not open');
    case 'help': return console.log(HELP);
    case 'quit': return void shutdown();
    default: console.log(`unknown command "${verb}" (try help)`);
  }
}

async function shutdown(): Promise<void> {
  clearInterval(keepAlive);
  sim.stop();
  await running.stop();
  await pair?.dispose();
  process.exit(0);
}

const input = createInterface({ input: process.stdin });
input.on('line', (line) => {
  try {
    run(line);
  } catch (err) {
    console.log(err instanceof InsertRefused ? `refused: ${err.message}` : `error: ${String(err)}`);
  }
});
process.on('SIGINT', () => void shutdown());
process.on('SIGTERM', () => void shutdown());
