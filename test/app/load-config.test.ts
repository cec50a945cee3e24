import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, envOverrides, loadConfig } from '../../src/app/load-config.js';

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
