/**
 * The sandboxed preload can only `require('electron')`: this builds the real bundle and runs it in a fresh
 * V8 context whose `require` knows nothing else, the way Electron's sandbox would.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import vm from 'node:vm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildPreload } from '../../../scripts/build-preload.js';
import { commands } from '../../../src/contract/index.js';

const dir = mkdtempSync(path.join(tmpdir(), 'rvm-preload-'));
let code = '';
beforeAll(async () => {
  code = readFileSync(await buildPreload(path.join(dir, 'preload.cjs')), 'utf8');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function runInSandbox() {
  const exposed = new Map<string, Record<string, (...args: unknown[]) => unknown>>();
  const ipcRenderer = { invoke: vi.fn(async () => ({ type: 'reply', id: 1, ok: true, result: { at: 1 } })), on: vi.fn(), send: vi.fn() };
  const electron = { contextBridge: { exposeInMainWorld: (name: string, api: never) => exposed.set(name, api) }, ipcRenderer };
  const required: string[] = [];
  const sandboxRequire = (id: string) => {
    required.push(id);
    if (id === 'electron') return electron;
    throw new Error(`module not found in the preload sandbox: ${id}`);
  };
  const module = { exports: {} };
  vm.runInNewContext(code, { require: sandboxRequire, module, exports: module.exports, console });
  return { exposed, ipcRenderer, required };
}

describe('the bundled preload', () => {
  it('is one CommonJS file whose only require is electron', () => {
    const requires = [...code.matchAll(/\brequire\(\s*["'`]([^"'`]+)["'`]\s*\)/g)].map((m) => m[1]);
    expect(requires).toEqual(['electron']);
    expect(code).not.toMatch(/\bimport\s*\(|^\s*(import|export)\s/m); // ESM would not even parse as a script
    expect(runInSandbox().required).toEqual(['electron']);
  });

  it('exposes exactly one object, rvmKiosk, and not ipcRenderer', () => {
    const { exposed, ipcRenderer } = runInSandbox();
    expect([...exposed.keys()]).toEqual(['rvmKiosk']);
    const api = exposed.get('rvmKiosk')!;
    expect(Object.keys(api).sort()).toEqual(['call', 'on', 'ready']);
    expect(Object.values(api)).not.toContain(ipcRenderer);
  });

  it('carries the contract’s command names: known ones go through, others are refused', async () => {
    const { exposed, ipcRenderer } = runInSandbox();
    const api = exposed.get('rvmKiosk')!;
    for (const name of Object.keys(commands)) expect(code).toContain(JSON.stringify(name));
    await expect(api.call!('system.ping', {})).resolves.toEqual({ at: 1 });
    await expect(api.call!('system.format', {})).rejects.toThrow(/is not a kiosk command/);
    expect(ipcRenderer.invoke).toHaveBeenCalledOnce();
  });

  it('does not ship zod or other core code', () => {
    expect(code).not.toMatch(/zod|ZodError|safeParse/);
    expect(code.length).toBeLessThan(20_000);
  });
});
