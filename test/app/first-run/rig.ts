/**
 * A real kiosk core started unprovisioned: server.mode "remote" at a server simulator on loopback, no
 * credentials, a temp folder standing in for a USB drive (usbExport.extraDirs) holding what the simulator's
 * admin page would export, and the controller simulator on a socat pty offered as an extra serial port.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { kioskConfig, type KioskConfig } from '../../../src/app/config-schema.js';
import type { KioskContext } from '../../../src/app/context.js';
import { createKiosk } from '../../../src/app/create-kiosk.js';
import { ControllerSimulator, DEFAULT_SIMULATOR_OPTIONS } from '../../../src/hardware/simulator/controller-simulator.js';
import { runSimulatorOnPort } from '../../../src/hardware/simulator/port-runner.js';
import { INSTANT_TIMINGS } from '../../../src/hardware/simulator/sim-settings.js';
import { SocatPtyPair } from '../../../src/hardware/transport/socat-pty.js';
import type { ServerSimulator } from '../../helpers/server-sim.js';

export interface Unprovisioned {
  kiosk: KioskContext;
  dataDir: string;
  usbDir: string;
  stop(): Promise<void>;
}

export async function startUnprovisioned(sim: ServerSimulator, overrides: Record<string, unknown> = {}): Promise<Unprovisioned> {
  const root = mkdtempSync(path.join(os.tmpdir(), 'rvm-first-run-'));
  const dataDir = path.join(root, 'data');
  const usbDir = path.join(root, 'RVM-STICK');
  mkdirSync(usbDir);
  writeFileSync(path.join(usbDir, 'rvm-credentials.json'), JSON.stringify(sim.credentials));
  writeFileSync(path.join(usbDir, 'notes.json'), JSON.stringify({ hello: 'not credentials' }));
  const config: KioskConfig = kioskConfig.parse({
    dataDir,
    server: { mode: 'remote', url: sim.url, realtime: { enabled: false } },
    usbExport: { extraDirs: [usbDir] },
    ...overrides,
  });
  const kiosk = await createKiosk(config);
  return {
    kiosk,
    dataDir,
    usbDir,
    stop: async () => {
      await kiosk.core.dispose();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** The controller simulator answering on the device end of a pty pair; the host end is what setup pings. */
export async function startControllerOnPty(): Promise<{ hostPath: string; stop(): Promise<void> }> {
  const pair = await SocatPtyPair.create('rvm-first-run-pty-');
  const sim = new ControllerSimulator({ ...DEFAULT_SIMULATOR_OPTIONS, dialect: 'rvm1', heartbeatMs: 100, timings: INSTANT_TIMINGS });
  const running = runSimulatorOnPort(sim, pair.devicePath);
  return {
    hostPath: pair.hostPath,
    stop: async () => {
      await running.stop();
      await pair.dispose();
    },
  };
}
