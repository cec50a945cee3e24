/**
 * Issue 12's "Done when", as one chain on the whole kiosk (createKiosk): the simulated controller over the
 * pty rig, the server simulator on loopback, a real Mosquitto broker and a webhook receiver on loopback.
 *
 * The glass bin fills → the history has it (for the chart) → an alert is raised at the server's threshold →
 * it reaches the server simulator (heartbeat diagnostics), an MQTT subscriber and the webhook (whose delivery
 * status lands on the alert) → the technician, in maintenance mode with the simulator's PIN, acknowledges it
 * with a note and reports the bin emptied, which resolves it as theirs with a note → exports history, alerts
 * and the audit log to a temp "USB drive" → the audit log has each of their actions.
 *
 * Every technician step goes through `core.dispatch` as a screen's connection, not the trusted in-process
 * `core.call`: only a screen's commands are technician actions, refused outside maintenance mode and audited.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { kioskConfig } from '../../src/app/config-schema.js';
import type { KioskContext } from '../../src/app/context.js';
import { createKiosk } from '../../src/app/create-kiosk.js';
import type { ReplyOf } from '../../src/contract/index.js';
import { startServerSimulator, type ServerSimulator } from '../../src/server/simulator/server-simulator.js';
import { eventually } from '../helpers/eventually.js';
import { mosquittoPath, MosquittoBroker, Watcher } from '../helpers/mosquitto.js';
import { describeWithSocat } from '../helpers/pty.js';

type Alert = ReplyOf<'monitoring.alerts'>['alerts'][number];

const cleanups: Array<() => Promise<void> | void> = [];
let kiosk: KioskContext;
let sim: ServerSimulator;
let broker: MosquittoBroker;
let fleet: Watcher;
let usb: string;
const hooks: Array<{ headers: IncomingHttpHeaders; body: Record<string, unknown> }> = [];

/** A screen's command: the technician's, on connection `screen-1`. */
async function screen(name: string, payload: unknown = {}): Promise<unknown> {
  const reply = await kiosk.core.dispatch({ type: 'command', id: 1, name, payload }, { connectionId: 'screen-1' });
  if (!reply.ok) throw new Error(`${name} refused: ${reply.error.reason} ${reply.error.message}`);
  return reply.result;
}

async function webhookReceiver(): Promise<string> {
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    hooks.push({ headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown> });
    res.writeHead(204).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/rvm-alerts`;
}

describeWithSocat('monitoring, end to end (issue 12 "Done when")', () => {
  beforeAll(async () => {
    if (!mosquittoPath) return;
    broker = await MosquittoBroker.create();
    cleanups.push(() => broker.dispose());
    fleet = await Watcher.connect(broker.url, 'rvm/#');
    cleanups.push(() => fleet.close());
    sim = await startServerSimulator({ designed: true, technicianName: 'Siti', binFullThresholdPercent: 80 });
    cleanups.push(() => sim.close());
    const hook = await webhookReceiver();
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'rvm-chain-'));
    usb = mkdtempSync(path.join(os.tmpdir(), 'rvm-chain-usb-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }), () => rmSync(usb, { recursive: true, force: true }));
    kiosk = await createKiosk(
      kioskConfig.parse({
        dataDir,
        hardware: { mode: 'simulator', simulator: { timings: 'instant' } },
        server: { mode: 'remote', url: sim.url, credentials: sim.credentials, handshakeFirstDelayMs: 50, heartbeatMinMs: 1_000, heartbeatMaxMs: 1_000 },
        monitoring: { sampleMs: 200, mqtt: { url: broker.url }, webhook: { url: hook, token: 'hook-secret' } },
        usbExport: { extraDirs: [usb] },
      }),
    );
    cleanups.push(() => kiosk.core.dispose());
  }, 30_000);

  afterAll(async () => {
    for (const step of cleanups.splice(0).reverse()) await step();
  });

  it.skipIf(!mosquittoPath)('a full bin goes from the machine to the server, MQTT, the webhook, the technician, a USB drive and the audit log', async () => {
    const { core } = kiosk;
    await eventually(() => core.current('server.state')?.lastHandshakeAt != null, { what: 'the handshake' });
    const serial = sim.credentials.serial_number;
    const start = Date.now();

    // 1. The glass bin fills (the simulator's level sensor goes to 100 %).
    await core.call('hardware.simulateFault', { fault: 'bin_full', bin: 'glass' });

    // 2. An alert at the server's threshold (80 %, from the handshake), and the fill in the history.
    const alert = await eventually(
      async () => (await core.call('monitoring.alerts', { status: 'open', rule: 'bin_full.glass' })).alerts[0] ?? false,
      { what: 'the glass bin alert' },
    );
    expect(alert).toMatchObject({ sensor: 'bin.glass', status: 'raised', value: 100, threshold: 80, thresholdSource: 'server' });
    await eventually(async () => (await core.call('monitoring.history', { sensor: 'bin.glass', from: start - 60_000 })).points.some((p) => p.max === 100), { what: 'the fill in the history' });

    // 3. It reaches the server (heartbeat diagnostics), the fleet's MQTT subscriber and the webhook.
    await eventually(
      () => sim.state.heartbeats.some((h) => JSON.stringify(h['diagnostics'] ?? {}).includes(alert.id)),
      { what: 'the alert in a heartbeat', timeoutMs: 10_000 },
    );
    await eventually(() => fleet.on(`rvm/${serial}/alerts`).some((m) => m.json.id === alert.id && m.json.status === 'raised'), { what: 'the alert on MQTT' });
    expect(fleet.on(`rvm/${serial}/status`).at(-1)?.json).toMatchObject({ state: 'online' });
    await eventually(() => hooks.some((h) => h.body.id === alert.id && h.body.status === 'raised'), { what: 'the alert at the webhook' });
    expect(hooks[0]!.headers.authorization).toBe('Bearer hook-secret');
    // The webhook's delivery status, on the alert the technician sees.
    await eventually(async () => (await alertById(alert.id)).history[0]?.delivery?.webhook?.status === 'sent', { what: 'the delivery on the alert' });

    // 4. The technician: maintenance mode with the simulator's PIN, acknowledge with a note, bin emptied.
    await expect(screen('monitoring.acknowledge', { id: alert.id })).rejects.toThrow(/forbidden/);
    expect(await screen('maintenance.enter', { pin: sim.pin })).toMatchObject({ ok: true, technicianName: 'Siti' });
    await screen('monitoring.acknowledge', { id: alert.id, note: 'on my way with an empty bag' });
    expect(await screen('technician.binEmptied', { bin: 'glass', note: 'glass bin emptied, 41 kg' })).toEqual({ ok: true });
    const resolved = await alertById(alert.id);
    expect(resolved.status).toBe('resolved');
    expect(resolved.history.slice(1)).toMatchObject([
      { status: 'acknowledged', by: { kind: 'technician', name: 'Siti', assignmentId: expect.any(Number) }, note: 'on my way with an empty bag' },
      { status: 'resolved', by: { kind: 'technician', name: 'Siti' }, note: 'glass bin emptied, 41 kg' },
    ]);
    // Resolved by the technician, not by the next reading: the system does not resolve it a second time.
    await eventually(async () => (await core.call('monitoring.history', { sensor: 'bin.glass', from: start - 60_000 })).points.at(-1)?.value === 0, { what: 'the emptied bin in the history' });
    expect((await alertById(alert.id)).history).toHaveLength(3);
    // Each transition reached both channels, with who and the note.
    await eventually(() => ['acknowledged', 'resolved'].every((s) => hooks.some((h) => h.body.id === alert.id && h.body.status === s)), { what: 'both transitions at the webhook' });
    await eventually(() => fleet.on(`rvm/${serial}/alerts`).some((m) => m.json.id === alert.id && m.json.status === 'resolved' && m.json.note === 'glass bin emptied, 41 kg'), { what: 'the resolve on MQTT' });

    // 5. Everything as CSV on the "USB drive".
    const { mounts } = (await screen('export.usbMounts')) as ReplyOf<'export.usbMounts'>;
    expect(mounts).toEqual([{ dir: usb, label: path.basename(usb), writable: true }]);
    const exported = (await screen('export.toUsb', { kinds: ['history', 'alerts', 'audit'], from: start - 60_000, mount: usb })) as ReplyOf<'export.toUsb'>;
    expect(path.dirname(exported.dir)).toBe(usb);
    expect(path.basename(exported.dir)).toMatch(new RegExp(`^rvm-export-${serial}-\\d{8}-\\d{4}$`));
    expect((await readdir(exported.dir)).sort()).toEqual(['alerts.csv', 'audit.csv', 'history.csv']);
    const alertsCsv = await readFile(path.join(exported.dir, 'alerts.csv'), 'utf8');
    expect(alertsCsv).toContain(alert.id);
    expect(alertsCsv).toMatch(/resolved by Siti \(assignment \d+\): glass bin emptied, 41 kg/);
    expect(await readFile(path.join(exported.dir, 'history.csv'), 'utf8')).toMatch(/,bin\.glass,%,raw,100,/);

    // 6. The audit log has the technician's actions, with who; the export itself is one of them.
    const audit = await eventually(
      async () => {
        const { entries } = (await screen('technician.audit', {})) as ReplyOf<'technician.audit'>;
        return entries.some((e) => e.action === 'export_usb') ? entries : false;
      },
      { what: 'the export in the audit log' },
    );
    const actions = audit.map((e) => `${e.action} ${e.technicianName} ${e.result}`).reverse();
    expect(actions).toEqual(['maintenance_enter Siti ok', 'alert_acknowledged Siti ok', 'bin_emptied Siti ok', 'export_usb Siti ok']);
    expect(audit.find((e) => e.action === 'bin_emptied')?.detail).toMatchObject({ bin: 'glass', note: 'glass bin emptied, 41 kg' });
    const auditCsv = await readFile(path.join(exported.dir, 'audit.csv'), 'utf8');
    // The file was written before its own export was recorded: the three actions before it, each with who.
    for (const action of ['maintenance_enter', 'alert_acknowledged', 'bin_emptied']) expect(auditCsv).toMatch(new RegExp(`,Siti,\\d+,${action},ok,`));
  });
});

async function alertById(id: string): Promise<Alert> {
  const { alerts } = await kiosk.core.call('monitoring.alerts', { rule: 'bin_full.glass' });
  const found = alerts.find((a) => a.id === id);
  if (!found) throw new Error(`alert ${id} not in the log`);
  return found;
}
