#!/usr/bin/env node
// node scripts/pack-appimage-check.mjs <linux-*-unpacked dir> [arm64|x64]: the checks a package must pass before
// it ships (step 4 of scripts/pack-appimage.sh). Fails (exit 1) when a native the kiosk loads at start-up is
// missing — sharp's binary and its libvips, onnxruntime-node's binding with libonnxruntime.so.1 beside it,
// serialport's prebuild — or when any .node/.so in the package is not an ELF for the target architecture.
// Prints the package size. Plain .mjs on purpose: after the cross-install, tsx's esbuild is the target's build
// and cannot run on the host. test/main/builder/pack-dir.test.ts runs it on its offline pack.
import { closeSync, existsSync, lstatSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const ELF_MACHINE = { arm64: 0xb7, x64: 0x3e };

/** Required natives, as paths (regular expressions) under resources/app.asar.unpacked/node_modules. */
export function requiredNatives(arch) {
  return [
    { what: "sharp's binary", pattern: new RegExp(`^@img/sharp-linux-${arch}/lib/sharp-linux-${arch}(-[\\d.]+)?\\.node$`) },
    { what: "sharp's libvips", pattern: new RegExp(`^@img/sharp-libvips-linux-${arch}/lib/libvips-cpp\\.so[.\\d]*$`) },
    { what: "onnxruntime-node's binding", pattern: new RegExp(`^onnxruntime-node/bin/napi-v6/linux/${arch}/onnxruntime_binding\\.node$`) },
    { what: 'libonnxruntime.so.1 beside the binding', pattern: new RegExp(`^onnxruntime-node/bin/napi-v6/linux/${arch}/libonnxruntime\\.so\\.1$`) },
    { what: "serialport's prebuild", pattern: new RegExp(`^@serialport/bindings-cpp/prebuilds/linux-${arch}/.*glibc\\.node$`) },
  ];
}

export function listFiles(dir, out = []) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) listFiles(full, out);
    else out.push(full);
  }
  return out;
}

export function elfMachine(file) {
  const header = Buffer.alloc(20);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, header, 0, 20, 0);
  } finally {
    closeSync(fd);
  }
  return header.readUInt32BE(0) === 0x7f454c46 ? header.readUInt16LE(18) : null;
}

/** Bytes on disk under `dir` (links counted as links). */
export function sizeOf(dir) {
  if (!existsSync(dir)) return 0;
  const s = lstatSync(dir);
  if (!s.isDirectory()) return s.size;
  return readdirSync(dir).reduce((sum, name) => sum + sizeOf(path.join(dir, name)), 0);
}

const MB = (bytes) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** Checks one unpacked package; returns { problems, report } and never throws for a check that fails. */
export function checkPackage(unpackedDir, arch = 'arm64') {
  const resources = path.join(unpackedDir, 'resources');
  const unpackedModules = path.join(resources, 'app.asar.unpacked', 'node_modules');
  const problems = [];
  const natives = existsSync(unpackedModules) ? listFiles(unpackedModules).filter((f) => /\.node$|\.so(\.\d+)*$/.test(f)) : [];
  const names = natives.map((f) => path.relative(unpackedModules, f).split(path.sep).join('/'));
  for (const { what, pattern } of requiredNatives(arch)) {
    if (!names.some((n) => pattern.test(n))) problems.push(`missing ${what} (${pattern.source}) in app.asar.unpacked/node_modules`);
  }
  for (const [i, file] of natives.entries()) {
    const machine = elfMachine(file);
    if (machine !== ELF_MACHINE[arch]) problems.push(`${names[i]} is ${machine === null ? 'not an ELF file' : `an ELF for machine 0x${machine.toString(16)}`}, not ${arch}`);
  }
  const locales = existsSync(path.join(unpackedDir, 'locales')) ? readdirSync(path.join(unpackedDir, 'locales')).filter((f) => f.endsWith('.pak')).sort() : [];
  const report = {
    total: sizeOf(unpackedDir),
    asar: existsSync(path.join(resources, 'app.asar')) ? statSync(path.join(resources, 'app.asar')).size : 0,
    asarUnpacked: sizeOf(path.join(resources, 'app.asar.unpacked')),
    resources: sizeOf(resources),
    locales,
    natives: names.sort(),
  };
  return { problems, report };
}

export function describeReport(report) {
  return [
    `package size: ${MB(report.total)} unpacked (resources ${MB(report.resources)}: app.asar ${MB(report.asar)}, app.asar.unpacked ${MB(report.asarUnpacked)})`,
    `locales: ${report.locales.length ? report.locales.join(', ') : '(none)'}`,
    `natives: ${report.natives.length}`,
  ].join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [dir, arch = 'arm64'] = process.argv.slice(2);
  if (!dir || !existsSync(dir)) {
    console.error(`usage: node scripts/pack-appimage-check.mjs <out/…/linux-${arch}-unpacked> [arm64|x64] (not found: ${dir ?? '(none)'})`);
    process.exit(2);
  }
  const { problems, report } = checkPackage(dir, arch);
  console.log(describeReport(report));
  for (const p of problems) console.error(`FAIL: ${p}`);
  if (problems.length) process.exit(1);
  console.log(`ok: every required ${arch} native is in the package and every native is an ${arch} ELF`);
}
