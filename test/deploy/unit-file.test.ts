/**
 * deploy/rvm-kiosk.service parses as a systemd unit (sections of key=value lines) and says what the kiosk
 * needs: the packaged executable under /opt/rvm/current with the switches the Electron entry accepts,
 * Restart=always, a watchdog the main process can feed, and blanking off before each start. Also the udev
 * rule template and display-setup.sh (run against stand-in xset/xrandr/xinput that record their arguments).
 */
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCli } from '../../main/cli/args.js';
import { ownArgs } from '../../main/cli/electron-argv.js';

const repo = path.resolve(import.meta.dirname, '../..');
const deploy = (file: string) => path.join(repo, 'deploy', file);

/** systemd's unit syntax: [Section], key=value (keys may repeat), # and ; comments, trailing-backslash continuation. */
function parseUnit(text: string): Map<string, Array<[string, string]>> {
  const sections = new Map<string, Array<[string, string]>>();
  let current: Array<[string, string]> | null = null;
  const lines = text.replace(/\\\n/g, ' ').split('\n');
  for (const [i, raw] of lines.entries()) {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) continue;
    const section = /^\[([A-Za-z]+)\]$/.exec(line);
    if (section) {
      current = [];
      sections.set(section[1]!, current);
      continue;
    }
    const kv = /^([A-Za-z][A-Za-z0-9]*)=(.*)$/.exec(line);
    if (!kv || !current) throw new Error(`line ${i + 1} is neither a section nor key=value inside one: ${raw}`);
    current.push([kv[1]!, kv[2]!.trim()]);
  }
  return sections;
}

const unit = parseUnit(readFileSync(deploy('rvm-kiosk.service'), 'utf8'));
const values = (section: string, key: string) => (unit.get(section) ?? []).filter(([k]) => k === key).map(([, v]) => v);
const one = (section: string, key: string) => {
  const found = values(section, key);
  expect(found, `${section}.${key}`).toHaveLength(1);
  return found[0]!;
};

describe('deploy/rvm-kiosk.service', () => {
  it('has the three sections of a user unit started with the graphical session', () => {
    expect([...unit.keys()]).toEqual(['Unit', 'Service', 'Install']);
    expect(one('Install', 'WantedBy')).toBe('graphical-session.target');
    expect(one('Unit', 'StartLimitIntervalSec')).toBe('0');
  });

  it('runs the extracted package’s executable with switches the Electron entry accepts as `start`', () => {
    const [exe, ...args] = one('Service', 'ExecStart').split(/\s+/);
    expect(exe).toBe('/opt/rvm/current/rvm-kiosk');
    expect(args).toEqual(expect.arrayContaining(['--ozone-platform=x11', '--password-store=basic']));
    const { ours } = ownArgs([exe!, ...args], false);
    expect(parseCli(ours)).toMatchObject({ command: 'start', help: false });
  });

  it('is always restarted, and killed when the main process stops feeding the watchdog', () => {
    expect(one('Service', 'Restart')).toBe('always');
    expect(Number(one('Service', 'WatchdogSec'))).toBeGreaterThanOrEqual(10);
    expect(one('Service', 'NotifyAccess')).toBe('all'); // the pings come from systemd-notify, a child process
    expect(one('Service', 'KillSignal')).toBe('SIGTERM');
  });

  it('starts the kiosk again after every exit, including the cannot-start screen’s retry (75)', () => {
    // main/electron/restart.ts and cannot-start.ts exit with 75 under systemd to be started afresh; a unit that
    // named it in RestartPreventExitStatus (or counted it a success with Restart=on-failure) would leave a black screen.
    expect(values('Service', 'RestartPreventExitStatus').join(' ')).not.toMatch(/\b75\b|TEMPFAIL/);
    expect(one('Service', 'Restart')).toBe('always');
    expect(Number(one('Service', 'RestartSec'))).toBeGreaterThan(0);
  });

  it('turns blanking off before each start with the shipped display-setup.sh, never fatally', () => {
    const pre = one('Service', 'ExecStartPre');
    expect(pre).toBe('-/opt/rvm/current/resources/deploy/display-setup.sh');
    expect(statSync(deploy('display-setup.sh')).mode & 0o111).not.toBe(0);
    expect(values('Service', 'Environment')).toEqual(expect.arrayContaining(['RVM_CONFIG=%h/.config/rvm-kiosk/rvm-kiosk.json']));
    // Few malloc arenas keep the native side's resident size low over months (docs/performance.md, "Memory").
    expect(values('Service', 'Environment')).toEqual(expect.arrayContaining(['MALLOC_ARENA_MAX=2']));
  });
});

describe('deploy/99-rvm-controller.rules', () => {
  it('matches the adapter by vendor and product id, links /dev/rvm-controller, group dialout', () => {
    const rules = readFileSync(deploy('99-rvm-controller.rules'), 'utf8').split('\n').filter((l) => l.trim() && !l.startsWith('#'));
    expect(rules).toHaveLength(1);
    const rule = rules[0]!;
    expect(rule).toMatch(/SUBSYSTEM=="tty"/);
    expect(rule).toMatch(/ATTRS\{idVendor\}=="[0-9a-f]{4}", ATTRS\{idProduct\}=="[0-9a-f]{4}"/);
    expect(rule).toContain('SYMLINK+="rvm-controller"');
    expect(rule).toContain('GROUP="dialout"');
  });
});

describe('deploy/display-setup.sh', () => {
  const scratch = mkdtempSync(path.join(tmpdir(), 'rvm-display-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));
  const bin = path.join(scratch, 'bin');
  mkdirSync(bin);
  for (const tool of ['xset', 'xrandr', 'xinput']) {
    writeFileSync(path.join(bin, tool), `#!/bin/sh\necho "${tool} $*" >> "${scratch}/calls"\n`);
    chmodSync(path.join(bin, tool), 0o755);
  }
  const run = (env: Record<string, string>) =>
    promisify(execFile)('/bin/sh', [deploy('display-setup.sh')], { env: { PATH: `${bin}:/usr/bin:/bin`, ...env } }).then(
      () => 0,
      (err: { code: number }) => err.code,
    );
  const calls = () => (existsSync(path.join(scratch, 'calls')) ? readFileSync(path.join(scratch, 'calls'), 'utf8').trim().split('\n') : []);

  it('turns blanking off, rotates the output and maps the touchscreen onto it', async () => {
    expect(await run({ DISPLAY: ':0', RVM_DISPLAY_OUTPUT: 'HDMI-0', RVM_DISPLAY_ROTATE: 'left', RVM_TOUCH_DEVICE: 'ILITEK ILITEK-TP' })).toBe(0);
    expect(calls()).toEqual(['xset s off -dpms s noblank', 'xrandr --output HDMI-0 --rotate left', 'xinput map-to-output ILITEK ILITEK-TP HDMI-0']);
  });

  it('only turns blanking off when nothing else is set, and reports a half-set rotation', async () => {
    rmSync(path.join(scratch, 'calls'), { force: true });
    expect(await run({})).toBe(0);
    expect(calls()).toEqual(['xset s off -dpms s noblank']);
    expect(await run({ RVM_DISPLAY_ROTATE: 'left' })).toBe(1);
  });
});
