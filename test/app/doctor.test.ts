/**
 * `rvm-kiosk doctor` (src/app/doctor): passes on the demo setup — simulated controller on a socat pty, the
 * server simulator, the shipped model on a demo photo — and fails, naming the fix, when the serial port, the
 * credentials or the server is missing. The table and the JSON are main/cli/doctor-print.ts.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { kioskConfig } from '../../src/app/config-schema.js';
import { checkDisplay, parseXsetQ } from '../../src/app/doctor/check-display.js';
import { checkGpu } from '../../src/app/doctor/check-gpu.js';
import { checkSerial, DIALOUT_FIX } from '../../src/app/doctor/check-serial.js';
import { CHECK_ROWS, runDoctor } from '../../src/app/doctor/run-doctor.js';
import type { CheckResult, DoctorContext, DoctorReport } from '../../src/app/doctor/types.js';
import { formatDoctorJson, formatDoctorTable } from '../../main/cli/doctor-print.js';
import { describeWithSocat } from '../helpers/pty.js';

const dir = mkdtempSync(path.join(tmpdir(), 'rvm-doctor-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const noX = () => null;
const row = (report: DoctorReport, id: string): CheckResult => {
  const found = report.checks.find((c) => c.id === id);
  if (!found) throw new Error(`no ${id} row in ${report.checks.map((c) => c.id).join(', ')}`);
  return found;
};
const doctor = (env: Record<string, string>) => runDoctor({ configSource: { argv: [], env: { RVM__dataDir: path.join(dir, 'data'), ...env }, cwd: dir }, runProgram: noX });

/** A loopback port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describeWithSocat('doctor on the demo setup', () => {
  it('passes every check it can make here, with the inference time and the clock offset', async () => {
    const report = await doctor({});
    const failed = report.checks.filter((c) => c.status === 'fail');
    expect(failed).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.checks.map((c) => c.id)).toEqual(['config', ...CHECK_ROWS.map((r) => r.id)]);
    expect(row(report, 'config').detail).toMatch(/^valid: demo mode — hardware simulator \[defaults\]/);
    expect(row(report, 'serial-port')).toMatchObject({ status: 'ok', detail: expect.stringContaining('socat pseudo-terminal') });
    expect(row(report, 'controller')).toMatchObject({ status: 'ok', detail: expect.stringMatching(/answered PING in [\d.]+ ms/) });
    expect(row(report, 'camera').status).toBe('ok');
    expect(row(report, 'model')).toMatchObject({ status: 'ok', data: { inferenceMs: expect.any(Number) } });
    expect(row(report, 'handshake').status).toBe('ok');
    expect(row(report, 'heartbeat').detail).toBe('accepted: the machine is commissioned');
    expect(row(report, 'clock')).toMatchObject({ status: 'ok', data: { offsetMs: expect.any(Number) } });
    expect(row(report, 'display')).toMatchObject({ status: 'skip', detail: expect.stringContaining('no DISPLAY') });

    const table = formatDoctorTable(report);
    expect(table).toMatch(/^ok {4}controller ping +simulated controller answered PING/m);
    expect(table).toMatch(/All checks passed\.$/);
    expect(JSON.parse(formatDoctorJson(report))).toMatchObject({ ok: true, checks: expect.any(Array) });
  }, 60_000);
});

describe('doctor on a real-mode configuration with parts missing', () => {
  it('fails naming the fix when the port, the credentials and the server are missing', async () => {
    const port = await closedPort();
    const report = await doctor({
      RVM__hardware: JSON.stringify({ mode: 'serial', serial: { path: path.join(dir, 'ttyRVM-missing') } }),
      RVM__server: JSON.stringify({ mode: 'remote', url: `http://127.0.0.1:${port}` }),
    });
    expect(report.ok).toBe(false);
    expect(row(report, 'serial-port')).toMatchObject({ status: 'fail', detail: `${path.join(dir, 'ttyRVM-missing')} is not present`, fix: expect.stringContaining('ls -l /dev/serial/by-id') });
    expect(row(report, 'controller').status).toBe('skip');
    expect(row(report, 'credentials')).toMatchObject({ status: 'fail', fix: expect.stringContaining('rvm-kiosk import-credentials') });
    expect(row(report, 'server')).toMatchObject({ status: 'fail', detail: expect.stringContaining('ECONNREFUSED'), fix: expect.stringContaining('check server.url') });
    expect(row(report, 'handshake').status).toBe('skip');
    const table = formatDoctorTable(report);
    expect(table).toMatch(/^FAIL {2}serial port/m);
    expect(table).toContain('→ fix: import the file the server\'s admin page exported for this machine: rvm-kiosk import-credentials');
    expect(table).toMatch(/3 checks failed: see "→ fix" above\.$/);
  }, 60_000);

  it('with credentials but the server down: the handshake is not tried, the credentials pass', async () => {
    const port = await closedPort();
    writeFileSync(path.join(dir, 'rvm-credentials.json'), JSON.stringify({ serial_number: 'RVM-DOC-1', api_key: 'k'.repeat(32), name: 'Doctor' }), { mode: 0o600 });
    try {
      const report = await doctor({ RVM__server: JSON.stringify({ mode: 'remote', url: `http://127.0.0.1:${port}` }) });
      expect(row(report, 'credentials')).toMatchObject({ status: 'ok', detail: expect.stringContaining('RVM-DOC-1 (Doctor)') });
      expect(row(report, 'server').status).toBe('fail');
      expect(row(report, 'handshake')).toMatchObject({ status: 'skip', detail: 'server not reachable' });
    } finally {
      rmSync(path.join(dir, 'rvm-credentials.json'));
    }
  }, 60_000);

  it('stops at the configuration when it is invalid, skipping the rest', async () => {
    const report = await doctor({ RVM__hardwre__mode: 'serial' });
    expect(report).toMatchObject({ ok: false, config: null });
    expect(row(report, 'config')).toMatchObject({ status: 'fail', detail: expect.stringContaining('unknown key "hardwre"') });
    expect(report.checks.slice(1).every((c) => c.status === 'skip')).toBe(true);
  });
});

describe('single checks', () => {
  const ctx = (over: Record<string, unknown> = {}, env: NodeJS.ProcessEnv = {}): DoctorContext => ({
    config: kioskConfig.parse({ dataDir: dir, ...over }),
    sources: { file: null, env: [], origins: new Map() },
    env,
    cwd: dir,
  });

  it('a port the user may not open: add the user to dialout, with the command', async () => {
    const device = path.join(dir, 'ttyFAKE0');
    writeFileSync(device, '');
    const rows = await checkSerial(ctx({ hardware: { mode: 'serial', serial: { path: device } } }), async () => false);
    expect(rows[0]).toMatchObject({ status: 'fail', fix: expect.stringContaining('sudo usermod -aG dialout $USER') });
    expect(DIALOUT_FIX).toMatch(/^add the user to dialout: sudo usermod -aG dialout \$USER/);
  });

  it('display sleep: read from xset q, unknown without a display', () => {
    expect(checkDisplay(ctx(), noX)).toMatchObject({ status: 'skip', detail: expect.stringMatching(/^unknown/) });
    const blanking = 'Screen Saver:\n  prefer blanking:  yes    allow exposures:  yes\n  timeout:  600    cycle:  600\nDPMS (Energy Star):\n  Standby: 600    Suspend: 600    Off: 600\n  DPMS is Enabled\n';
    const off = 'Screen Saver:\n  prefer blanking:  no    allow exposures:  yes\n  timeout:  0    cycle:  600\nDPMS (Energy Star):\n  DPMS is Disabled\n';
    expect(parseXsetQ(blanking)).toEqual({ saverTimeoutS: 600, dpms: 'enabled' });
    expect(checkDisplay(ctx({}, { DISPLAY: ':0' }), () => ({ status: 0, stdout: blanking }))).toMatchObject({ status: 'warn', fix: expect.stringContaining('xset s off -dpms s noblank') });
    expect(checkDisplay(ctx({}, { DISPLAY: ':0' }), () => ({ status: 0, stdout: off }))).toMatchObject({ status: 'ok', detail: 'DISPLAY=:0: screen saver off, DPMS disabled' });
  });

  it('GPU mode: the configured one, and a recorded fall-back to software', () => {
    expect(checkGpu(ctx({ ui: { gpu: 'egl' } }), null)).toMatchObject({ status: 'ok', detail: expect.stringContaining('ui.gpu = egl') });
    const state = path.join(dir, 'gpu-state.json');
    writeFileSync(state, JSON.stringify({ softwareFallback: true, reason: 'GPU process crashed', mode: 'auto', pendingGpuStart: false, appVersion: '0.1.0' }));
    expect(checkGpu(ctx(), state)).toMatchObject({ status: 'warn', detail: expect.stringContaining('GPU process crashed'), fix: expect.stringContaining('rm') });
  });
});
