/**
 * The layering rules, checked on every import in the tree (static, dynamic, require and `import type`):
 * - src/ is plain Node: no electron, no React/DOM libraries, nothing from main/ or renderer/.
 * - Inside src/ there is an order, so features stay swappable and the shared vocabulary stays at the bottom:
 *   base folders (BASE) import only base; feature folders (FEATURES) import base, their own folder and, from
 *   another feature, only its declared public surface `ports.ts` and only as types; app/ (composition) may
 *   import anything in src/. Any other folder (or a file loose in src/) is a violation, so a new folder has
 *   to be classified here deliberately.
 * - renderer/ reaches the core only through the contract, and only for types (`import type`) — except the
 *   dependency-free src/core/backoff.ts, src/contract/errors.ts and src/domain/zoned-day.ts (days in the
 *   machine's zone, one algorithm for core and screen), which it may import as values; no Node built-ins, no electron.
 * - main/ may use src/, never renderer/ sources; only main/electron and main/preload may import electron
 *   (the browser host must run where Electron cannot).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import ts from 'typescript';

export interface ImportRef {
  file: string;
  specifier: string;
  typeOnly: boolean;
  line: number;
}

/** A broken rule; `specifier` is '' when the file itself is misplaced rather than one of its imports. */
export interface Violation extends ImportRef {
  rule: string;
}

/** The order inside src/: bottom to top. Add a new folder to exactly one of these. */
export const BASE_FOLDERS: readonly string[] = ['core', 'contract', 'log', 'storage', 'domain'];
export const FEATURE_FOLDERS: readonly string[] = ['hardware', 'detection', 'server', 'outbox', 'session', 'clock', 'maintenance', 'monitoring', 'backup', 'remote'];
export const APP_FOLDER = 'app';
/** Pure, dependency-free modules the renderer may import as values (path without extension). */
const RENDERER_VALUE_IMPORTS = new Set(['src/core/backoff', 'src/contract/errors', 'src/domain/zoned-day']);

const NODE_BUILTINS = new Set(builtinModules.map((name) => name.replace(/^node:/, '')));
const UI_LIBS = /^(react|react-dom|zustand|qrcode\.react)(\/|$)/;

export function importsOf(file: string, text: string): ImportRef[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const refs: ImportRef[] = [];
  const add = (node: ts.Node, specifier: string, typeOnly: boolean) =>
    refs.push({ file, specifier, typeOnly, line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1 });
  const visit = (node: ts.Node) => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      const typeOnly = ts.isImportDeclaration(node) ? Boolean(node.importClause?.isTypeOnly) : node.isTypeOnly;
      add(node, node.moduleSpecifier.text, typeOnly);
    } else if (ts.isCallExpression(node) && node.arguments.length === 1 && ts.isStringLiteralLike(node.arguments[0]!)) {
      const callee = node.expression;
      if (callee.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(callee) && callee.text === 'require')) {
        add(node, (node.arguments[0] as ts.StringLiteral).text, false);
      }
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      add(node, node.argument.literal.text, true);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return refs;
}

function layerOf(root: string, absolute: string): string {
  return path.relative(root, absolute).split(path.sep)[0] ?? '';
}

const withoutExtension = (rel: string) => rel.replace(/\.(ts|js)$/, '');

type Tier = 'base' | 'feature' | 'app' | 'unknown';
function tierOf(folder: string): Tier {
  if (BASE_FOLDERS.includes(folder)) return 'base';
  if (FEATURE_FOLDERS.includes(folder)) return 'feature';
  return folder === APP_FOLDER ? 'app' : 'unknown';
}

/** A file under src/ must sit in a declared folder; `rel` is root-relative with `/` separators. */
export function checkPlace(rel: string): string | null {
  const parts = rel.split('/');
  if (parts[0] !== 'src') return null;
  if (parts.length === 2) return 'file directly in src/: move it into a folder declared as base, feature or app in scripts/layers.ts';
  const folder = parts[1]!;
  if (tierOf(folder) === 'unknown') return `unknown folder src/${folder}: declare it as base, feature or app in scripts/layers.ts`;
  return null;
}

/** The order inside src/ for one import from `fromRel` to `targetRel` (both root-relative, under src/). */
function checkSrcOrder(fromRel: string, targetRel: string, typeOnly: boolean): string | null {
  const target = targetRel.split('/');
  const from = fromRel.split('/')[1] ?? '';
  const to = target[1] ?? '';
  const fromTier = tierOf(from);
  // app/ composes everything; a misplaced file is already reported by checkPlace.
  if (fromTier === 'app' || fromTier === 'unknown' || from === to) return null;
  const who = `${fromTier} ${from}/`;
  switch (tierOf(to)) {
    case 'base':
      return null;
    case 'app':
      return `${who} must not import app/`;
    case 'unknown':
      return `${who} must not import ${target.length > 2 ? `unknown folder src/${to}/` : `${targetRel} (loose in src/)`}`;
    case 'feature': {
      if (fromTier === 'base') return `${who} must not import feature ${to}/`;
      const surface = `${who} may import only ports.ts of feature ${to}/ (as types)`;
      if (withoutExtension(targetRel) !== `src/${to}/ports`) return surface;
      return typeOnly ? null : `${surface}: use import type / export type`;
    }
  }
}

export function checkImport(root: string, ref: ImportRef): string | null {
  const rel = path.relative(root, ref.file).split(path.sep).join('/');
  const spec = ref.specifier;
  const bare = spec.replace(/^node:/, '').split('/')[0]!;
  const target = spec.startsWith('.') ? path.resolve(path.dirname(ref.file), spec) : null;
  const targetLayer = target ? layerOf(root, target) : null;
  const targetRel = target ? path.relative(root, target).split(path.sep).join('/') : null;

  if (rel.startsWith('src/')) {
    if (spec === 'electron') return 'src/ must not import electron';
    if (UI_LIBS.test(spec)) return 'src/ must not import UI libraries';
    if (targetLayer === 'main' || targetLayer === 'renderer') return `src/ must not import from ${targetLayer}/`;
    if (targetLayer === 'src') return checkSrcOrder(rel, targetRel!, ref.typeOnly);
  } else if (rel.startsWith('renderer/')) {
    if (spec === 'electron') return 'renderer/ must not import electron';
    if (spec.startsWith('node:') || NODE_BUILTINS.has(bare)) {
      if (!rel.endsWith('vite.config.ts')) return 'renderer/ must not import Node built-ins';
    }
    if (targetLayer === 'main') return 'renderer/ must not import from main/';
    if (targetLayer === 'src' && !RENDERER_VALUE_IMPORTS.has(withoutExtension(targetRel!))) {
      if (!targetRel!.startsWith('src/contract/')) return 'renderer/ may only import the contract (and src/core/backoff.ts, src/contract/errors.ts, src/domain/zoned-day.ts) from src/';
      if (!ref.typeOnly) return 'renderer/ may import the contract only as types (import type)';
    }
  } else if (rel.startsWith('main/')) {
    if (targetLayer === 'renderer') return 'main/ must not import renderer sources';
    const electronAllowed = rel.startsWith('main/electron/') || rel.startsWith('main/preload/');
    if (spec === 'electron' && !electronAllowed) return 'only main/electron and main/preload may import electron';
  }
  return null;
}

export function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    if (entry === 'node_modules' || entry === 'dist') continue;
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) out.push(...sourceFiles(full));
    else if (/\.(ts|tsx|mts|cts|js|mjs)$/.test(entry) && !entry.endsWith('.d.ts')) out.push(full);
  }
  return out;
}

export function checkLayers(root: string): Violation[] {
  const violations: Violation[] = [];
  for (const layer of ['src', 'renderer', 'main']) {
    let files: string[];
    try {
      files = sourceFiles(path.join(root, layer));
    } catch {
      continue;
    }
    for (const file of files) {
      const place = checkPlace(path.relative(root, file).split(path.sep).join('/'));
      if (place) violations.push({ file, specifier: '', typeOnly: false, line: 1, rule: place });
      for (const ref of importsOf(file, readFileSync(file, 'utf8'))) {
        const rule = checkImport(root, ref);
        if (rule) violations.push({ ...ref, rule });
      }
    }
  }
  return violations;
}
