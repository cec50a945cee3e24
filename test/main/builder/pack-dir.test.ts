/**
 * A real electron-builder run (`--linux dir --arm64`) of this project and its real build output, into a scratch
 * folder, with a stand-in Electron (the real zip cannot be downloaded here, so fuses are left out). The packer
 * runs in the project itself: its dependency collector (npm list) needs the real package-lock next to
 * node_modules — a scratch copy with a symlinked node_modules lost @serialport on a fresh clone. It
 * proves the file filters and asarUnpack rules on the actual packer: natives end up unpacked, and every native
 * binary in the arm64 package is an aarch64 ELF — no x86 build output, no other platform's prebuilds.
 */
import { execFile } from 'node:child_process';
import { chmodSync, closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, readSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const yaml = require('js-yaml') as { load(text: string): unknown };
const repo = path.resolve(import.meta.dirname, '../../..');
const scratch = mkdtempSync(path.join(tmpdir(), 'rvm-pack-'));
const unpacked = path.join(scratch, 'out', 'linux-arm64-unpacked', 'resources');

const ELF_MACHINE = { aarch64: 0xb7, x86_64: 0x3e } as const;

function elfMachine(file: string): number | null {
  const header = Buffer.alloc(20);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, header, 0, 20, 0);
  } finally {
    closeSync(fd);
  }
  return header.readUInt32BE(0) === 0x7f454c46 ? header.readUInt16LE(18) : null;
}

function listFiles(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) listFiles(full, out);
    else out.push(full);
  }
  return out;
}

beforeAll(async () => {
  // npm test builds first; running this file alone builds what is missing.
  const built = ['dist/main/electron/main.js', 'dist/preload/preload.cjs', 'dist/renderer/index.html'];
  if (!built.every((file) => existsSync(path.join(repo, file)))) {
    await promisify(execFile)('npm', ['run', 'build'], { cwd: repo, maxBuffer: 16 * 1024 * 1024 });
  }
  const config = yaml.load(readFileSync(path.join(repo, 'electron-builder.yml'), 'utf8')) as Record<string, unknown>;
  delete config.electronFuses; // flipping fuses needs the real Electron binary
  Object.assign(config, {
    electronDist: path.join(scratch, 'electron-dist'),
    electronVersion: require('electron/package.json').version,
    directories: { output: path.join(scratch, 'out'), buildResources: 'build' },
  });
  writeFileSync(path.join(scratch, 'electron-builder.json'), JSON.stringify(config));
  mkdirSync(path.join(scratch, 'electron-dist'), { recursive: true });
  writeFileSync(path.join(scratch, 'electron-dist/electron'), '#!/bin/sh\n');
  chmodSync(path.join(scratch, 'electron-dist/electron'), 0o755);
  await promisify(execFile)(
    path.join(repo, 'node_modules/.bin/electron-builder'),
    ['--linux', 'dir', '--arm64', '--publish', 'never', '--config', path.join(scratch, 'electron-builder.json'), '--projectDir', repo],
    { cwd: repo, maxBuffer: 16 * 1024 * 1024 },
  );
}, 240_000);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('an offline arm64 dir pack', () => {
  it('unpacks the natives from the asar, and every one of them is aarch64', () => {
    const natives = listFiles(path.join(unpacked, 'app.asar.unpacked')).filter((f) => /\.node$|\.so(\.\d+)*$/.test(f));
    const names = natives.map((f) => path.relative(unpacked, f));
    expect(names).toEqual(expect.arrayContaining([
      expect.stringMatching(/onnxruntime-node\/bin\/napi-v6\/linux\/arm64\/onnxruntime_binding\.node$/),
      expect.stringMatching(/onnxruntime-node\/bin\/napi-v6\/linux\/arm64\/libonnxruntime\.so\.1$/),
      expect.stringMatching(/@serialport\/bindings-cpp\/prebuilds\/linux-arm64\/.*glibc\.node$/),
    ]));
    for (const file of natives) expect({ file: path.basename(file), machine: elfMachine(file) }).toEqual({ file: path.basename(file), machine: ELF_MACHINE.aarch64 });
  });

  it('leaves out other platforms, build trees, compiled tests and source maps', () => {
    const asar = require('@electron/asar') as { listPackage(file: string): string[] };
    const inside = [
      ...asar.listPackage(path.join(unpacked, 'app.asar')),
      ...listFiles(path.join(unpacked, 'app.asar.unpacked')).map((f) => f.slice(unpacked.length)),
    ];
    expect(inside).toEqual(expect.arrayContaining(['/dist/main/electron/main.js', '/dist/preload/preload.cjs', '/dist/renderer/index.html', '/assets/i18n/id.json', '/assets/models/centernet.onnx']));
    const unwanted = ['napi-v6/win32', 'napi-v6/darwin', 'napi-v6/linux/x64', 'prebuilds/linux-x64', 'prebuilds/win32', 'bindings-cpp/src/', 'bindings-cpp/build/', 'sharp-linux-x64', 'musl.node', '/dist/test/', '/dist/main/electron/main.js.map'];
    expect(inside.filter((f) => unwanted.some((u) => f.includes(u)))).toEqual([]);
  });
});
