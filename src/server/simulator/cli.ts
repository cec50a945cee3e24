/**
 * `npm run sim:server [-- options]`: a MyRVM-Server stand-in for trying a kiosk without a real server.
 * Prints the URL, freshly generated credentials (also written to a file with --write-credentials) and the
 * technician PIN, and how to point a kiosk at it. Options: --port N, --host H, --pin 123456,
 * --no-realtime, --today (only what today's MyRVM-Server offers: no v2, no QR redeem),
 * --no-assignment (not commissioned: heartbeat 403), --write-credentials FILE.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { startServerSimulator } from './server-simulator.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    host: { type: 'string', default: '127.0.0.1' },
    pin: { type: 'string' },
    'no-realtime': { type: 'boolean', default: false },
    today: { type: 'boolean', default: false },
    'no-assignment': { type: 'boolean', default: false },
    'write-credentials': { type: 'string' },
  },
});

if (values.pin !== undefined && !/^\d{6}$/.test(values.pin)) {
  console.error('--pin must be exactly 6 digits');
  process.exit(2);
}

const sim = await startServerSimulator({
  host: values.host,
  port: Number(values.port),
  realtime: !values['no-realtime'],
  designed: !values.today,
  ...(values['no-assignment'] ? { assignment: 'none' as const } : {}),
  ...(values.pin ? { pin: values.pin } : {}),
});

if (values['write-credentials']) writeFileSync(values['write-credentials'], `${JSON.stringify(sim.credentials, null, 2)}\n`, { mode: 0o600 });

const lines = [
  `MyRVM server simulator at ${sim.url}${values.today ? ' (today\'s MyRVM-Server only)' : ' (with the designed extras)'}`,
  '',
  'Credentials (rvm-credentials.json), generated for this run:',
  JSON.stringify(sim.credentials, null, 2),
  values['write-credentials'] ? `(written to ${values['write-credentials']})` : '(add --write-credentials FILE to save them)',
  '',
  values['no-assignment'] ? 'No technician assignment: heartbeats get 403 (not commissioned).' : `Technician PIN: ${sim.pin}`,
  sim.pusherAppKey ? `Realtime (Pusher v7): ws://${values.host}:${sim.port}/app/${sim.pusherAppKey}, channel rvm.${sim.machineUuid}` : 'Realtime: off',
  '',
  'Point a kiosk at it:',
  `  RVM__server__mode=remote RVM__server__url=${sim.url} RVM__server__credentialsFile=${values['write-credentials'] ?? 'rvm-credentials.json'} \\`,
  sim.pusherAppKey ? `  RVM__server__realtime__appKey=${sim.pusherAppKey} RVM__server__realtime__host=${values.host} RVM__server__realtime__port=${sim.port} RVM__server__realtime__scheme=ws \\` : '',
  '  npm start -- --headless',
  '',
  `Control panel: GET ${sim.url}/__sim/state, POST /__sim/faults, /__sim/outage, /__sim/commands, /__sim/realtime/publish, /__sim/realtime/drop`,
  'Ctrl+C stops it.',
];
console.log(lines.filter((l, i, all) => l !== '' || all[i - 1] !== '').join('\n'));

const stop = async () => {
  await sim.close();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
