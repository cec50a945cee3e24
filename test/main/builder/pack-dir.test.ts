/**
 * A real electron-builder run (`--linux dir --arm64`) of this project and its real build output, into a scratch
 * folder, with a stand-in Electron (the real zip cannot be downloaded here, so fuses are left out; its
 * `locales/` holds a few empty Chromium .pak files so `electronLanguages` has something to filter). The packer
 * runs in the project itself: its dependency collector (npm list) needs the real package-lock next to
 * node_modules — a scratch copy with a symlinked node_modules lost @serialport on a fresh clone.
 *
 * It proves what ships: every native the kiosk loads at start-up is in the package for arm64 — sharp's binary
 * and its libvips, onnxruntime-node's binding with libonnxruntime.so.1 beside it, serialport's prebuild — and
 * every native binary is an aarch64 ELF (scripts/pack-appimage-check.mjs, the same check `npm run pack:appimage`
 * runs); renderer-only packages, other platforms, build trees, compiled tests and source maps stay out; only the
 * kiosk's two Chromium locales remain; the deploy/ files ship as resources. It prints the package size.
 *
 * sharp's arm64 packages are optional npm packages that an x64 `npm ci` leaves out. When they are missing, they
 * are fetched from the npm registry (`npm pack`) and unpacked beside the x64 ones — nothing else in
 * node_modules changes, unlike `npm install --cpu=arm64`, which swaps every platform package (see
 * scripts/pack-appimage.sh).
 */
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkPackage, describeReport, listFiles, type PackageReport } from '../../../scripts/pack-appimage-check.mjs';

const require = createRequire(import.meta.url);
const yaml = require('js-yaml') as { load(text: string): unknown };
const run = promisify(execFile);
const repo = path.resolve(import.meta.dirname, '../../..');
const scratch = mkdtempSync(path.join(tmpdir(), 'rvm-pack-'));
const appDir = path.join(scratch, 'out', 'linux-arm64-unpacked');
const unpacked = path.join(appDir, 'resources');
const STAND_IN_LOCALES = ['de', 'en-GB', 'en-US', 'fr', 'id', 'ja', 'zh-CN'];

/** sharp's arm64 binary and libvips, as the lock pins them, unpacked into node_modules/@img when missing. */
async function ensureArm64Sharp(): Promise<void> {
  const lock = JSON.parse(readFileSync(path.join(repo, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version?: string }> };
  for (const name of ['@img/sharp-linux-arm64', '@img/sharp-libvips-linux-arm64']) {
    const target = path.join(repo, 'node_modules', name);
    if (existsSync(path.join(target, 'package.json'))) continue;
    const version = lock.packages[`node_modules/${name}`]?.version;
    if (!version) throw new Error(`package-lock.json pins no ${name}: is sharp still a dependency?`);
    const { stdout } = await run('npm', ['pack', `${name}@${version}`, '--pack-destination', scratch, '--silent'], { cwd: scratch });
    mkdirSync(target, { recursive: true });
    await run('tar', ['-xzf', path.join(scratch, stdout.trim().split('\n').at(-1)!), '-C', target, '--strip-components=1']);
  }
}

let report: PackageReport;
let problems: string[];

beforeAll(async () => {
  // npm test builds first; running this file alone builds what is missing.
  const built = ['dist/main/electron/main.js', 'dist/preload/preload.cjs', 'dist/renderer/index.html'];
  if (!built.every((file) => existsSync(path.join(repo, file)))) {
    await run('npm', ['run', 'build'], { cwd: repo, maxBuffer: 16 * 1024 * 1024 });
  }
  await ensureArm64Sharp();
  const config = yaml.load(readFileSync(path.join(repo, 'electron-builder.yml'), 'utf8')) as Record<string, unknown>;
  delete config.electronFuses; // flipping fuses needs the real Electron binary
  Object.assign(config, {
    electronDist: path.join(scratch, 'electron-dist'),
    electronVersion: require('electron/package.json').version,
    directories: { output: path.join(scratch, 'out'), buildResources: 'build' },
  });
  writeFileSync(path.join(scratch, 'electron-builder.json'), JSON.stringify(config));
  mkdirSync(path.join(scratch, 'electron-dist', 'locales'), { recursive: true });
  writeFileSync(path.join(scratch, 'electron-dist/electron'), '#!/bin/sh\n');
  chmodSync(path.join(scratch, 'electron-dist/electron'), 0o755);
  for (const locale of STAND_IN_LOCALES) writeFileSync(path.join(scratch, 'electron-dist', 'locales', `${locale}.pak`), '');
  await run(
    path.join(repo, 'node_modules/.bin/electron-builder'),
    ['--linux', 'dir', '--arm64', '--publish', 'never', '--config', path.join(scratch, 'electron-builder.json'), '--projectDir', repo],
    { cwd: repo, maxBuffer: 16 * 1024 * 1024 },
  );
  ({ problems, report } = checkPackage(appDir, 'arm64'));
  console.log(`arm64 dir pack (stand-in Electron, so without the Electron runtime itself):\n${describeReport(report)}`);
  mkdirSync(path.join(repo, 'test-output'), { recursive: true });
  writeFileSync(path.join(repo, 'test-output', 'pack-size.json'), `${JSON.stringify({ ...report, natives: undefined }, null, 2)}\n`);
}, 300_000);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('an offline arm64 dir pack', () => {
  it('has every native the kiosk loads at start-up, unpacked, and every native is aarch64', () => {
    expect(problems).toEqual([]);
    expect(report.natives).toEqual(expect.arrayContaining([
      expect.stringMatching(/^@img\/sharp-linux-arm64\/lib\/sharp-linux-arm64.*\.node$/),
      expect.stringMatching(/^@img\/sharp-libvips-linux-arm64\/lib\/libvips-cpp\.so/),
      'onnxruntime-node/bin/napi-v6/linux/arm64/onnxruntime_binding.node',
      'onnxruntime-node/bin/napi-v6/linux/arm64/libonnxruntime.so.1',
      expect.stringMatching(/^@serialport\/bindings-cpp\/prebuilds\/linux-arm64\/.*glibc\.node$/),
    ]));
  });

  it('leaves out renderer-only packages, other platforms, build trees, compiled tests and source maps', () => {
    const asar = require('@electron/asar') as { listPackage(file: string): string[] };
    const inside = [
      ...asar.listPackage(path.join(unpacked, 'app.asar')),
      ...listFiles(path.join(unpacked, 'app.asar.unpacked')).map((f) => f.slice(unpacked.length)),
    ];
    expect(inside).toEqual(expect.arrayContaining(['/dist/main/electron/main.js', '/dist/preload/preload.cjs', '/dist/renderer/index.html', '/assets/i18n/id/recycler.json', '/assets/models/centernet.onnx']));
    const unwanted = ['napi-v6/win32', 'napi-v6/darwin', 'napi-v6/linux/x64', 'prebuilds/linux-x64', 'prebuilds/win32', 'bindings-cpp/src/', 'bindings-cpp/build/', 'sharp-linux-x64', 'sharp-libvips-linux-x64', 'musl.node', '/dist/test/', '/dist/main/electron/main.js.map'];
    expect(inside.filter((f) => unwanted.some((u) => f.includes(u)))).toEqual([]);
    // Bundled into dist/renderer by vite, so devDependencies: they must not ship a second time.
    const rendererOnly = ['react', 'react-dom', 'scheduler', 'zustand', 'qrcode'];
    expect(inside.filter((f) => rendererOnly.some((p) => f.startsWith(`/node_modules/${p}/`)))).toEqual([]);
  });

  it('keeps only the kiosk’s Chromium locales (electronLanguages: en-US, id)', () => {
    expect(readdirSync(path.join(appDir, 'locales')).sort()).toEqual(['en-US.pak', 'id.pak']);
  });

  it('ships the deployment files as resources, scripts executable', () => {
    const deploy = path.join(unpacked, 'deploy');
    expect(readdirSync(deploy)).toEqual(expect.arrayContaining(['rvm-kiosk.service', '99-rvm-controller.rules', 'install.sh', 'display-setup.sh']));
    for (const script of ['install.sh', 'display-setup.sh']) expect(statSync(path.join(deploy, script)).mode & 0o111).not.toBe(0);
  });
});
