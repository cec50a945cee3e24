/**
 * The checkout's `rvm-kiosk` command as an installer runs it (package.json "bin" → bin/rvm-kiosk.mjs, through
 * tsx): help, a refused flag with exit code 2, and one-shot commands ending with their own exit code.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const repo = path.resolve(import.meta.dirname, '../../..');
const scratch = mkdtempSync(path.join(tmpdir(), 'rvm-bin-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function run(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  // A clean environment: no RVM__ settings or RVM_CONFIG leak in from the test runner, HOME is empty.
  const base = { PATH: process.env.PATH, HOME: scratch, RVM_LOG_LEVEL: 'error' };
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [path.join(repo, 'bin/rvm-kiosk.mjs'), ...args], { cwd: scratch, env: { ...base, ...env } });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('bin/rvm-kiosk.mjs', () => {
  it('prints the help with every command', async () => {
    const { code, stdout } = await run(['--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/Usage: rvm-kiosk \[command\] \[options\][\s\S]*start[\s\S]*doctor[\s\S]*import-credentials FILE[\s\S]*export-logs DIR/);
    expect(package_bin()).toBe('bin/rvm-kiosk.mjs');
  });

  it('refuses an unknown flag by name, with exit code 2 and where to look', async () => {
    const { code, stderr } = await run(['doctor', '--bogus']);
    expect(code).toBe(2);
    expect(stderr).toContain('rvm-kiosk: unknown option --bogus for rvm-kiosk doctor');
    expect(stderr).toContain('See: rvm-kiosk doctor --help');
  });

  it('stops `start` on a misspelt key before anything runs, naming it', async () => {
    writeFileSync(path.join(scratch, 'typo.json'), JSON.stringify({ hardwre: { mode: 'serial' } }));
    const { code, stderr } = await run(['start', '--headless', '--config', 'typo.json']);
    expect(code).toBe(1);
    expect(stderr).toContain('unknown key "hardwre" — did you mean "hardware"?');
  });

  it('imports credentials and exits 0; says there are no logs to export and exits 1', async () => {
    const source = path.join(scratch, 'rvm-credentials.json.usb');
    writeFileSync(source, JSON.stringify({ serial_number: 'RVM-BIN-1', api_key: 'k'.repeat(32), name: 'Bin test' }));
    const data = path.join(scratch, 'data');
    const imported = await run(['import-credentials', source], { RVM__dataDir: data });
    expect(imported).toMatchObject({ code: 0 });
    expect(imported.stdout).toContain('Imported credentials for RVM-BIN-1');
    expect(JSON.parse(readFileSync(path.join(data, 'rvm-credentials.json'), 'utf8')).serial_number).toBe('RVM-BIN-1');

    const exported = await run(['export-logs', path.join(scratch, 'usb')], { RVM__dataDir: path.join(scratch, 'empty') });
    expect(exported.code).toBe(1);
    expect(exported.stderr).toMatch(/No log files to export/);
  });
});

function package_bin(): string {
  return (JSON.parse(readFileSync(path.join(repo, 'package.json'), 'utf8')) as { bin: Record<string, string> }).bin['rvm-kiosk']!;
}
