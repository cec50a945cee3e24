import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { kioskConfig } from '../../src/app/config-schema.js';
import { editDistance, objectSchemas } from '../../src/app/config-key-hints.js';
import { ConfigError, describeStartLine, envOverrides, loadConfig } from '../../src/app/load-config.js';

let dir: string | null = null;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = null;
});
function tempDir(): string {
  dir = mkdtempSync(path.join(os.tmpdir(), 'cfg-'));
  return dir;
}

describe('configuration', () => {
  it('is complete with nothing set: demo mode defaults', () => {
    const cwd = tempDir();
    const { config, file } = loadConfig({ argv: [], env: {}, cwd });
    expect(file).toBeNull();
    expect(config).toMatchObject({ language: 'id', timezone: 'Asia/Jakarta', hardware: { mode: 'simulator' }, server: { mode: 'simulator' } });
    expect(config.dataDir).toBe(path.join(cwd, '.rvm-data'));
  });

  it('layers file ← environment, with nested RVM__ keys parsed as JSON when they parse', () => {
    const cwd = tempDir();
    writeFileSync(path.join(cwd, 'rvm-kiosk.json'), JSON.stringify({ machineName: 'From file', language: 'en', points: { pet: 20 } }));
    const { config, file } = loadConfig({ argv: [], env: { RVM__machineName: 'From env', RVM__points__can: '30' }, cwd });
    expect(file).toBe(path.join(cwd, 'rvm-kiosk.json'));
    expect(config.machineName).toBe('From env');
    expect(config.language).toBe('en');
    expect(config.points).toEqual({ pet: 20, can: 30, glass: 5 });
  });

  it('prefers --config over RVM_CONFIG', () => {
    const cwd = tempDir();
    writeFileSync(path.join(cwd, 'a.json'), '{"machineName":"A"}');
    writeFileSync(path.join(cwd, 'b.json'), '{"machineName":"B"}');
    expect(loadConfig({ argv: ['--config', 'a.json'], env: { RVM_CONFIG: 'b.json' }, cwd }).config.machineName).toBe('A');
    expect(loadConfig({ argv: [], env: { RVM_CONFIG: 'b.json' }, cwd }).config.machineName).toBe('B');
  });

  it('names the bad field of an invalid configuration, and the unreadable file', () => {
    const cwd = tempDir();
    expect(() => loadConfig({ argv: [], env: { RVM__language: 'fr' }, cwd })).toThrow(/language/);
    writeFileSync(path.join(cwd, 'rvm-kiosk.json'), '{broken');
    expect(() => loadConfig({ argv: [], env: {}, cwd })).toThrow(ConfigError);
  });

  it('uses the host-given data folder only when the configuration names none', () => {
    const cwd = tempDir();
    expect(loadConfig({ argv: [], env: {}, cwd, defaultDataDir: '/var/lib/rvm' }).config.dataDir).toBe('/var/lib/rvm');
    expect(loadConfig({ argv: [], env: { RVM__dataDir: 'here' }, cwd, defaultDataDir: '/var/lib/rvm' }).config.dataDir).toBe(path.join(cwd, 'here'));
  });

  it('ignores environment variables outside the RVM__ prefix', () => {
    expect(envOverrides({ PATH: '/bin', RVM_CONFIG: 'x', RVM__ui__port: '6000' })).toEqual({ ui: { port: 6000 } });
  });
});

/** The message loadConfig throws, or null when it loads. */
function failure(load: () => unknown): string | null {
  try {
    load();
    return null;
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
}

describe('strict configuration', () => {
  it('stops on a misspelt key in the file, naming it and the key it meant', () => {
    const cwd = tempDir();
    writeFileSync(path.join(cwd, 'rvm-kiosk.json'), JSON.stringify({ hardwre: { mode: 'serial' } }));
    const message = failure(() => loadConfig({ argv: [], env: {}, cwd }));
    expect(message).toBe(`invalid configuration in ${path.join(cwd, 'rvm-kiosk.json')}: unknown key "hardwre" — did you mean "hardware"?`);
  });

  it('names nested keys by their full path, inside unions too', () => {
    const cwd = tempDir();
    writeFileSync(path.join(cwd, 'k.json'), JSON.stringify({ hardware: { serial: { bydId: 'x' } }, detection: { camera: { kind: 'v4l2', devce: '/dev/video2' } } }));
    const message = failure(() => loadConfig({ argv: [], env: {}, cwd, file: 'k.json' }));
    expect(message).toContain('unknown key "hardware.serial.bydId" — did you mean "hardware.serial.byId"?');
    expect(message).toContain('unknown key "detection.camera.devce" — did you mean "detection.camera.device"?');
  });

  it('stops on an unknown RVM__ variable, naming the variable and the one to set instead', () => {
    const cwd = tempDir();
    expect(failure(() => loadConfig({ argv: [], env: { RVM__hardwre__mode: 'serial' }, cwd }))).toBe(
      'invalid configuration: unknown key "hardwre" (from RVM__hardwre__mode) — did you mean "hardware" (RVM__hardware__mode)?',
    );
    // Upper case is a different key: the hint says which one exists.
    expect(failure(() => loadConfig({ argv: [], env: { RVM__SERVER__url: 'https://x' }, cwd }))).toContain('unknown key "SERVER" (from RVM__SERVER__url) — did you mean "server"');
  });

  it('points at the section a key lives in when it was put in the wrong place', () => {
    const cwd = tempDir();
    writeFileSync(path.join(cwd, 'rvm-kiosk.json'), JSON.stringify({ gpu: 'off' }));
    expect(failure(() => loadConfig({ argv: [], env: {}, cwd }))).toContain('unknown key "gpu" — did you mean "ui.gpu"?');
  });

  it('says nothing it cannot back: no hint for a key like no other', () => {
    const cwd = tempDir();
    expect(failure(() => loadConfig({ argv: [], env: { RVM__zzzzqqq: '1' }, cwd }))).toBe('invalid configuration: unknown key "zzzzqqq" (from RVM__zzzzqqq)');
  });

  it('rejects a file that is not a JSON object', () => {
    const cwd = tempDir();
    writeFileSync(path.join(cwd, 'rvm-kiosk.json'), '[1, 2]');
    expect(failure(() => loadConfig({ argv: [], env: {}, cwd }))).toMatch(/must be a JSON object/);
  });

  it('has every object of the schema strict, so a key added later is strict too', () => {
    const loose = objectSchemas(kioskConfig).filter(({ schema }) => schema.safeParse({ __unknown__: 1 }).error?.issues.every((i) => i.code !== 'unrecognized_keys') ?? true);
    expect(loose.map((o) => o.path)).toEqual([]);
    expect(objectSchemas(kioskConfig).length).toBeGreaterThan(20);
  });

  it('counts a swapped pair of letters as one edit', () => {
    expect(editDistance('hardwre', 'hardware')).toBe(1);
    expect(editDistance('sreial', 'serial')).toBe(1);
  });
});

describe('a real-mode part without its required setting', () => {
  it('stops at once when hardware.mode is serial and no port is set, naming the fix', () => {
    const cwd = tempDir();
    const message = failure(() => loadConfig({ argv: [], env: { RVM__hardware__mode: 'serial' }, cwd }));
    expect(message).toMatch(/^cannot start: hardware\.mode is "serial" \(from RVM__hardware__mode\) but no serial port is set/);
    expect(message).toContain('hardware.serial.byId');
    expect(message).toContain('ls /dev/serial/by-id');
  });

  it('starts with any one of path, byId or usb', () => {
    const cwd = tempDir();
    for (const serial of [{ path: '/dev/rvm-controller' }, { byId: 'usb-x' }, { usb: { vendorId: '10c4', productId: 'ea60' } }]) {
      expect(loadConfig({ argv: [], env: { RVM__hardware: JSON.stringify({ mode: 'serial', serial }) }, cwd }).config.hardware.mode).toBe('serial');
    }
  });
});

describe('the start line', () => {
  it('says demo mode with everything from the defaults', () => {
    const { config, sources } = loadConfig({ argv: [], env: {}, cwd: tempDir() });
    expect(describeStartLine(config, sources)).toBe('demo mode — hardware simulator [defaults], server simulator [defaults], detection demo [defaults]; settings: defaults');
  });

  it('states each part’s mode and where it came from, even when only the environment configures a real machine', () => {
    const cwd = tempDir();
    writeFileSync(path.join(cwd, 'rvm-kiosk.json'), JSON.stringify({ hardware: { mode: 'serial', serial: { path: '/dev/rvm-controller' } } }));
    const env = { RVM__server__mode: 'remote', RVM__server__url: 'https://myrvm.example.org' };
    const { config, sources } = loadConfig({ argv: [], env, cwd });
    const file = path.join(cwd, 'rvm-kiosk.json');
    expect(describeStartLine(config, sources)).toBe(
      `partly simulated — hardware serial /dev/rvm-controller [${file}], server remote https://myrvm.example.org [RVM__server__mode], detection demo [defaults]; ` +
        `settings: defaults ← ${file} ← environment (RVM__server__mode, RVM__server__url)`,
    );
  });

  it('says "real machine" when no part is simulated', () => {
    const env = { RVM__hardware: '{"mode":"serial","serial":{"byId":"usb-x"}}', RVM__server: '{"mode":"remote","url":"https://s"}', RVM__detection__mode: 'model' };
    const { config, sources } = loadConfig({ argv: [], env, cwd: tempDir() });
    expect(describeStartLine(config, sources)).toMatch(/^real machine — hardware serial \/dev\/serial\/by-id\/usb-x \[RVM__hardware\], server remote https:\/\/s \[RVM__server\], detection real model/);
  });
});
