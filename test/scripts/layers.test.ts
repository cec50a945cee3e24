/**
 * The layer checker: each rule gets a deliberate violation in a temp tree (never the real src/, which is
 * being restructured) and must catch exactly it; the clean tree exercises every allowed path.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { APP_FOLDER, BASE_FOLDERS, FEATURE_FOLDERS, checkImport, checkLayers } from '../../scripts/layers.js';

let tree: string | null = null;
function makeTree(files: Record<string, string>): string {
  tree = mkdtempSync(path.join(os.tmpdir(), 'layers-'));
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(tree, file)), { recursive: true });
    writeFileSync(path.join(tree, file), text);
  }
  return tree;
}
afterEach(() => {
  if (tree) rmSync(tree, { recursive: true, force: true });
  tree = null;
});

const clean = {
  'src/contract/index.ts': 'export type X = 1;',
  'src/core/a.ts': "import { readFileSync } from 'node:fs';\nimport { z } from 'zod';",
  'renderer/src/app.tsx': "import type { X } from '../../src/contract/index.js';\nimport { create } from 'zustand';",
  'main/electron/main.ts': "import { app } from 'electron';\nimport '../../src/core/a.js';",
  'main/browser-host/host.ts': "import '../../src/core/a.js';",
  // Base imports base only.
  'src/core/backoff.ts': 'export const backoff = (n: number) => 2 ** n;',
  'src/domain/item.ts': "import type { X } from '../contract/index.js';\nexport type Item = { x: X };",
  'src/storage/store.ts': "import { backoff } from '../core/backoff.js';\nimport type { Item } from '../domain/item.js';",
  // A feature: its own files (incl. subfolders), base, and its declared ports.
  'src/session/ports.ts': "import type { Item } from '../domain/item.js';\nexport interface SessionPort { add(item: Item): void }",
  'src/session/session.ts': "import type { SessionPort } from './ports.js';\nimport { backoff } from '../core/backoff.js';",
  'src/session/flow/step.ts': "import '../session.js';\nimport { readFile } from 'node:fs/promises';",
  // Another feature: only session/ports.ts, and only as types.
  'src/hardware/machine.ts': [
    "import type { SessionPort } from '../session/ports.js';",
    "export type { SessionPort } from '../session/ports.ts';",
    "type P = typeof import('../session/ports.js');",
    "import '../storage/store.js';",
  ].join('\n'),
  // app/ composes anything.
  'src/app/main.ts': [
    "import { SessionPort } from '../session/ports.js';",
    "import '../session/flow/step.js';",
    "import '../hardware/machine.js';",
    "import '../core/a.js';",
  ].join('\n'),
  // The renderer's one value import from src/.
  'renderer/src/retry.ts': "import { backoff } from '../../src/core/backoff.js';",
};

describe('layer check', () => {
  it('passes a tree that keeps the rules', () => {
    expect(checkLayers(makeTree(clean))).toEqual([]);
  });

  it.each([
    ['src importing electron', 'src/core/bad.ts', "import { app } from 'electron';", 'src/ must not import electron'],
    ['src requiring electron', 'src/core/bad.ts', "const e = require('electron');", 'src/ must not import electron'],
    ['src importing react', 'src/core/bad.ts', "import React from 'react';", 'UI libraries'],
    ['src importing main', 'src/core/bad.ts', "import '../../main/electron/main.js';", 'src/ must not import from main/'],
    ['renderer importing core code', 'renderer/src/bad.ts', "import { KioskCore } from '../../src/core/a.js';", 'only import the contract'],
    ['renderer importing the contract as a value', 'renderer/src/bad.ts', "import { commands } from '../../src/contract/index.js';", 'only as types'],
    ['renderer importing node', 'renderer/src/bad.ts', "import fs from 'node:fs';", 'Node built-ins'],
    ['renderer importing electron dynamically', 'renderer/src/bad.ts', "const m = await import('electron');", 'must not import electron'],
    ['browser host importing electron', 'main/browser-host/bad.ts', "import { app } from 'electron';", 'only main/electron and main/preload'],
    ['renderer importing a bare built-in missing from the old list', 'renderer/src/bad.ts', "import readline from 'readline';", 'Node built-ins'],
    ['renderer importing perf_hooks', 'renderer/src/bad.ts', "import { performance } from 'perf_hooks';", 'Node built-ins'],
    ['renderer importing a core file other than backoff', 'renderer/src/bad.ts', "import { x } from '../../src/core/backoff-table.js';", 'only import the contract'],
    // The order inside src/.
    ['base importing a feature', 'src/core/bad.ts', "import { s } from '../server/server.js';", 'base core/ must not import feature server/'],
    ['base importing a feature ports.ts, even as types', 'src/domain/bad.ts', "import type { SessionPort } from '../session/ports.js';", 'base domain/ must not import feature session/'],
    ['base importing app', 'src/storage/bad.ts', "import '../app/main.js';", 'base storage/ must not import app/'],
    ['feature importing app', 'src/hardware/bad.ts', "import { board } from '../app/status-board.js';", 'feature hardware/ must not import app/'],
    ['feature subfolder importing app dynamically', 'src/hardware/sim/bad.ts', "const m = await import('../../app/main.js');", 'feature hardware/ must not import app/'],
    ['feature importing another feature internals', 'src/hardware/bad.ts', "import { Session } from '../session/session.js';", 'feature hardware/ may import only ports.ts of feature session/ (as types)'],
    ['feature importing another feature internals as types', 'src/hardware/bad.ts', "import type { Step } from '../session/flow/step.js';", 'may import only ports.ts of feature session/'],
    ['feature importing another feature ports.ts as a value', 'src/hardware/bad.ts', "import { SessionPort } from '../session/ports.js';", 'ports.ts of feature session/ (as types): use import type'],
    ['feature importing ports.ts with inline type modifiers (still a runtime import)', 'src/hardware/bad.ts', "import { type SessionPort } from '../session/ports.js';", 'use import type'],
    ['feature re-exporting another feature ports.ts as values', 'src/hardware/bad.ts', "export * from '../session/ports.js';", 'use import type'],
    ['feature importing an undeclared src folder', 'src/hardware/bad.ts', "import '../config/settings.js';", 'feature hardware/ must not import unknown folder src/config/'],
    ['base importing a file loose in src/', 'src/core/bad.ts', "import '../index.js';", 'base core/ must not import src/index.js'],
    ['a file in an undeclared src folder', 'src/config/settings.ts', 'export const port = 8080;', 'unknown folder src/config: declare it as base, feature or app in scripts/layers.ts'],
    ['a file directly in src/', 'src/index.ts', 'export {};', 'file directly in src/'],
  ])('fails on %s', (_label, file, text, rule) => {
    const violations = checkLayers(makeTree({ ...clean, [file]: text }));
    expect(violations).toHaveLength(1);
    expect(violations[0]!.rule).toContain(rule);
    expect(violations[0]!.file.endsWith(file)).toBe(true);
  });

  it('makes the npm script exit non-zero on a deliberate violation', () => {
    const root = makeTree({ ...clean, 'src/core/bad.ts': "import { app } from 'electron';" });
    let status = 0;
    let stderr = '';
    try {
      execFileSync('npx', ['tsx', 'scripts/check-layers.ts', root], { encoding: 'utf8', stdio: 'pipe' });
    } catch (err) {
      status = (err as { status: number }).status;
      stderr = String((err as { stderr: string }).stderr);
    }
    expect(status).toBe(1);
    expect(stderr).toContain('src/core/bad.ts:1: imports "electron"');
  });

  it('flags every Node built-in (from module.builtinModules) imported by the renderer', () => {
    const root = path.resolve('/repo');
    const file = path.join(root, 'renderer/src/x.ts');
    const missed = builtinModules.filter((name) => !checkImport(root, { file, specifier: name, typeOnly: false, line: 1 }));
    expect(missed).toEqual([]);
    expect(checkImport(root, { file, specifier: 'node:readline', typeOnly: false, line: 1 })).toContain('Node built-ins');
    expect(checkImport(root, { file, specifier: 'zustand', typeOnly: false, line: 1 })).toBeNull();
  });

  it('declares every src folder in exactly one tier', () => {
    const all = [...BASE_FOLDERS, ...FEATURE_FOLDERS, APP_FOLDER];
    expect(new Set(all).size).toBe(all.length);
  });

  it('makes the npm script report src-order and misplaced-file violations', () => {
    const root = makeTree({ ...clean, 'src/hardware/bad.ts': "import '../app/main.js';", 'src/config/x.ts': 'export {};' });
    let status = 0;
    let stderr = '';
    try {
      execFileSync('npx', ['tsx', 'scripts/check-layers.ts', root], { encoding: 'utf8', stdio: 'pipe' });
    } catch (err) {
      status = (err as { status: number }).status;
      stderr = String((err as { stderr: string }).stderr);
    }
    expect(status).toBe(1);
    expect(stderr).toContain('src/hardware/bad.ts:1: imports "../app/main.js": feature hardware/ must not import app/');
    expect(stderr).toContain('src/config/x.ts:1: unknown folder src/config: declare it as base, feature or app in scripts/layers.ts');
    expect(stderr).toContain('layer check: 2 violation(s)');
  });

  it('finds no violation in this repository', () => {
    expect(checkLayers(path.resolve('.')).map((v) => `${v.file}:${v.line} ${v.rule}`)).toEqual([]);
  });
});
