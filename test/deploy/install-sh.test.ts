/**
 * deploy/install.sh in a temp prefix with fake AppImages (shell scripts that answer --appimage-extract by
 * creating squashfs-root/ the way an electron-builder AppImage does): extract into <prefix>/<version>,
 * switch `current`, keep the replaced version as `previous`, delete older ones, roll back and forth, and
 * leave everything as it was when an extraction fails.
 */
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const repo = path.resolve(import.meta.dirname, '../..');
const scratch = mkdtempSync(path.join(tmpdir(), 'rvm-install-'));
const prefix = path.join(scratch, 'opt', 'rvm');
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A stand-in AppImage: `--appimage-extract` makes squashfs-root/ with the executable and the desktop entry. */
function fakeAppImage(version: string, { versionInDesktop = true, fails = false } = {}): string {
  const file = path.join(scratch, `rvm-kiosk-${version}-arm64.AppImage`);
  writeFileSync(
    file,
    `#!/bin/sh
[ "$1" = "--appimage-extract" ] || { echo "fake AppImage ${version}"; exit 0; }
${fails ? 'echo "squashfs: corrupt image" >&2; exit 1' : ''}
mkdir -p squashfs-root/resources/deploy
printf '#!/bin/sh\\necho kiosk ${version}\\n' > squashfs-root/rvm-kiosk
chmod 755 squashfs-root/rvm-kiosk
printf '' > squashfs-root/chrome-sandbox
printf '[Desktop Entry]\\nName=RVM Kiosk\\n${versionInDesktop ? `X-AppImage-Version=${version}\\n` : ''}' > squashfs-root/rvm-kiosk.desktop
`,
  );
  chmodSync(file, 0o755);
  return file;
}

async function install(...args: string[]): Promise<{ code: number; out: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)('bash', [path.join(repo, 'deploy/install.sh'), '--prefix', prefix, ...args]);
    return { code: 0, out: stdout + stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: e.stdout + e.stderr };
  }
}

const link = (name: string) => (existsSync(path.join(prefix, name)) ? readlinkSync(path.join(prefix, name)) : null);
const versions = () => readdirSync(prefix).filter((n) => !['current', 'previous'].includes(n)).sort();

describe('deploy/install.sh', () => {
  it('installs a first version as current, with no previous', async () => {
    const out = await install(fakeAppImage('0.1.0'));
    expect(out).toMatchObject({ code: 0 });
    expect(out.out).toContain('Installed 0.1.0: current -> 0.1.0');
    expect(link('current')).toBe('0.1.0'); // relative, so the prefix can move
    expect(link('previous')).toBeNull();
    expect(existsSync(path.join(prefix, 'current', 'rvm-kiosk'))).toBe(true);
    expect(versions()).toEqual(['0.1.0']);
  });

  it('switches current to a new version and keeps the one it replaced as previous', async () => {
    expect((await install(fakeAppImage('0.2.0'))).code).toBe(0);
    expect([link('current'), link('previous')]).toEqual(['0.2.0', '0.1.0']);
  });

  it('keeps two versions: the oldest goes when a third is installed', async () => {
    const out = await install(fakeAppImage('0.3.0'));
    expect(out.out).toContain('Removed old version 0.1.0');
    expect([link('current'), link('previous')]).toEqual(['0.3.0', '0.2.0']);
    expect(versions()).toEqual(['0.2.0', '0.3.0']);
  });

  it('rolls back to previous, and forward again', async () => {
    expect((await install('--rollback')).out).toContain('Rolled back: current -> 0.2.0 (previous -> 0.3.0)');
    expect([link('current'), link('previous')]).toEqual(['0.2.0', '0.3.0']);
    await install('--rollback');
    expect([link('current'), link('previous')]).toEqual(['0.3.0', '0.2.0']);
  });

  it('changes nothing when the extraction fails or the version is unknown, and leaves no scratch behind', async () => {
    const failed = await install(fakeAppImage('0.4.0', { fails: true }));
    expect(failed.code).toBe(1);
    expect(failed.out).toContain('--appimage-extract failed; nothing changed');
    const unnamed = path.join(scratch, 'kiosk.AppImage');
    writeFileSync(unnamed, (await import('node:fs')).readFileSync(fakeAppImage('0.5.0', { versionInDesktop: false })));
    chmodSync(unnamed, 0o755);
    expect((await install(unnamed)).out).toContain('cannot tell the version');
    expect([link('current'), link('previous')]).toEqual(['0.3.0', '0.2.0']);
    expect(readdirSync(prefix).filter((n) => n.startsWith('.'))).toEqual([]);
    // --version names it.
    expect((await install(unnamed, '--version', '0.5.0')).code).toBe(0);
    expect(link('current')).toBe('0.5.0');
  });

  it('refuses to reinstall the current version, and to roll back with nothing before it', async () => {
    expect((await install(fakeAppImage('0.5.0'))).out).toContain('0.5.0 is already the current version');
    const empty = path.join(scratch, 'empty');
    const out = await promisify(execFile)('bash', [path.join(repo, 'deploy/install.sh'), '--prefix', empty, '--rollback']).catch((e: { code: number; stderr: string }) => e);
    expect(out).toMatchObject({ code: 1, stderr: expect.stringContaining('no previous version to roll back to') });
  });
});
