import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkLayers } from '../../scripts/layers.js';

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

  it('finds no violation in this repository', () => {
    expect(checkLayers(path.resolve('.')).map((v) => `${v.file}:${v.line} ${v.rule}`)).toEqual([]);
  });
});
