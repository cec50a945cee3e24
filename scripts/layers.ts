/**
 * The layering rules, checked on every import in the tree (static, dynamic, require and `import type`):
 * - src/ is plain Node: no electron, no React/DOM libraries, nothing from main/ or renderer/.
 * - renderer/ reaches the core only through the contract, and only for types (`import type`); no Node
 *   built-ins, no electron.
 * - main/ may use src/, never renderer/ sources; only main/electron and main/preload may import electron
 *   (the browser host must run where Electron cannot).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

export interface ImportRef {
  file: string;
  specifier: string;
  typeOnly: boolean;
  line: number;
}

export interface Violation extends ImportRef {
  rule: string;
}

const NODE_BUILTINS = new Set(['fs', 'path', 'os', 'child_process', 'net', 'http', 'https', 'crypto', 'worker_threads', 'stream', 'url', 'util', 'events', 'buffer', 'zlib', 'dgram', 'tls']);
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
  } else if (rel.startsWith('renderer/')) {
    if (spec === 'electron') return 'renderer/ must not import electron';
    if (spec.startsWith('node:') || NODE_BUILTINS.has(bare)) {
      if (!rel.endsWith('vite.config.ts')) return 'renderer/ must not import Node built-ins';
    }
    if (targetLayer === 'main') return 'renderer/ must not import from main/';
    if (targetLayer === 'src') {
      if (!targetRel!.startsWith('src/contract/')) return 'renderer/ may only import the contract from src/';
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
      for (const ref of importsOf(file, readFileSync(file, 'utf8'))) {
        const rule = checkImport(root, ref);
        if (rule) violations.push({ ...ref, rule });
      }
    }
  }
  return violations;
}
