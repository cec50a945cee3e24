/**
 * Checks that what the docs name still exists: repository paths, npm scripts, configuration keys and
 * functions. `checkMarkdown` is pure (it takes a `RepoFacts`), so the self-test can feed it a small string;
 * `loadRepoFacts` reads the real repository once (file tree, package.json, the config schema, the source
 * text of src/ and main/).
 *
 * What counts as a reference, to keep false positives down:
 * - paths: inside backticks or as a markdown link target. A token starting with a repository folder
 *   (`src/`, `main/`, `renderer/`, `scripts/`, `test/`, `bench/`, `docs/`, `assets/`, `.ci/`) must exist;
 *   a bare root file (`electron-builder.yml`, `package.json`, `tsconfig.*.json`, …) must exist at the root;
 *   a bare or partial source file name (`flush-pass.ts`, `endpoints/edge.ts`) must be the end of some
 *   file's path; a link or a `../` path is resolved against the doc's folder. Anything with `<`, `*`, `…`
 *   or `$` is a placeholder or a glob and is skipped; `{a,b}` is expanded. A backticked `./x` is relative to
 *   the kiosk's working directory, not to the repository, and is not checked.
 * - scripts: `npm run X` anywhere (prose, backticks, code blocks), `npm start` / `npm test`, and a
 *   backticked `prefix:name` whose prefix is one of package.json's script prefixes (`bench:detect`).
 * - configuration: `RVM__section__field` anywhere; in backticks, a dotted token whose first segment is a
 *   top-level section of the schema (`outbox.maxPending`), unless it is a name the source declares as an
 *   object key (contract commands and events, bus events, realtime events: `outbox.state.alarms`).
 * - functions: in backticks, every identifier in call position (`name()`, `a.b(x)`) and `Class.member`;
 *   the identifier must occur in the source text of src/ or main/.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

export type ProblemKind = 'path' | 'script' | 'config' | 'function';

export interface Problem {
  doc: string;
  line: number;
  kind: ProblemKind;
  ref: string;
}

export interface RepoFacts {
  /** Repository-relative path (posix) exists as a file or folder; may also be asked about `../x` paths. */
  exists(relPath: string): boolean;
  /** Some repository file's path ends with `/suffix`. */
  hasFileEnding(suffix: string): boolean;
  scripts: ReadonlySet<string>;
  /** Top-level config keys whose value is an object (`hardware`, `outbox`, …). */
  sections: ReadonlySet<string>;
  isConfigKey(segments: readonly string[]): boolean;
  /** Dotted names declared in the source as object keys: contract commands/events, bus and realtime events. */
  declaredNames: ReadonlySet<string>;
  /** The identifier occurs in src/ or main/. */
  hasIdentifier(name: string): boolean;
}

/**
 * Other programs' names that docs mention on purpose and that look like ours: the controller firmware's Arduino
 * API, and onnxruntime's session option key (whose first segment happens to be our `session` config section).
 */
export const EXTERNAL_NAMES: ReadonlySet<string> = new Set(['Serial.printf', 'session.intra_op.allow_spinning']);

const REPO_FOLDERS = ['src', 'main', 'renderer', 'scripts', 'test', 'bench', 'docs', 'assets', '.ci'];
const FOLDERS = REPO_FOLDERS.map((f) => f.replace('.', '\\.')).join('|');
const PREFIXED_PATH = new RegExp(`(?<![\\w./-])((?:${FOLDERS})/[^\\s\`'"),;|]*)`, 'g');
const IN_REPO_FOLDER = new RegExp(`^(?:${FOLDERS})(?:/|$)`);
const ROOT_FILE = /^(?:electron-builder\.ya?ml|package(?:-lock)?\.json|tsconfig(?:\.[\w-]+)?\.json|vitest\.config\.ts|README\.md|\.npmrc|\.gitignore)$/;
const SOURCE_FILE = /^(?:[\w.-]+\/)*[\w.-]+\.(?:ts|tsx|mts|mjs|js|cjs)$/;
const FILE_EXTENSION = /^(?:ts|tsx|mts|mjs|js|cjs|json|md|yml|yaml|jnl|img|onnx|log|html|png|jpg|wav|part|AppImage)$/;
const KEYWORDS = new Set(['if', 'for', 'while', 'switch', 'catch', 'function', 'return', 'typeof', 'await', 'async', 'import', 'new', 'super']);
const PLACEHOLDER = /[<*…$]/;

/** `a/{b,c}.ts` → `a/b.ts`, `a/c.ts` (one level of braces is all the docs use). */
export function expandBraces(token: string): string[] {
  const m = /\{([^{}]*)\}/.exec(token);
  if (!m) return [token];
  return m[1]!.split(',').flatMap((alt) => expandBraces(token.slice(0, m.index) + alt + token.slice(m.index + m[0].length)));
}

function trimPunctuation(token: string): string {
  return token.replace(/[.:,;!?]+$/, '');
}

interface Sink {
  add(kind: ProblemKind, ref: string): void;
}

function checkPathToken(raw: string, docDir: string, facts: RepoFacts, sink: Sink): void {
  const token = trimPunctuation(raw);
  if (!token || PLACEHOLDER.test(token) || token.includes('://')) return;
  for (const candidate of expandBraces(token)) {
    const bare = candidate.replace(/\/$/, '');
    if (candidate.startsWith('../')) {
      const rel = path.posix.normalize(path.posix.join(docDir, candidate));
      if (!facts.exists(rel)) sink.add('path', candidate);
    } else if (IN_REPO_FOLDER.test(candidate)) {
      if (!facts.exists(bare)) sink.add('path', candidate);
    } else if (ROOT_FILE.test(candidate)) {
      if (!facts.exists(candidate)) sink.add('path', candidate);
    } else if (SOURCE_FILE.test(candidate) && !/^(?:dist|out|node_modules)\//.test(candidate)) {
      // A compiled name (`detector-worker.js`) stands for its TypeScript source.
      const ok = facts.hasFileEnding(candidate) || (candidate.endsWith('.js') && facts.hasFileEnding(candidate.replace(/\.js$/, '.ts')));
      if (!ok) sink.add('path', candidate);
    }
  }
}

function checkScripts(text: string, facts: RepoFacts, sink: Sink): void {
  for (const m of text.matchAll(/\bnpm\s+(?:run(?:-script)?\s+([\w:.-]+)|(start|test|stop|restart)\b)/g)) {
    const name = m[1] ?? m[2]!;
    if (!facts.scripts.has(name)) sink.add('script', m[1] ? `npm run ${name}` : `npm ${name}`);
  }
}

function checkEnvVars(text: string, facts: RepoFacts, sink: Sink): void {
  for (const m of text.matchAll(/\bRVM__([\w<>]*)/g)) {
    const name = m[1]!;
    if (PLACEHOLDER.test(name)) continue;
    const segments = name.split('__').filter(Boolean);
    if (segments.length === 0 || !facts.isConfigKey(segments)) sink.add('config', `RVM__${name}`);
  }
}

function checkSpan(span: string, docDir: string, facts: RepoFacts, sink: Sink): void {
  // Paths: tokens starting with a repository folder anywhere in the span; whole-token root/source files.
  for (const m of span.matchAll(PREFIXED_PATH)) checkPathToken(m[1]!, docDir, facts, sink);
  for (const raw of span.split(/[\s()]+/)) {
    const token = trimPunctuation(raw);
    // `./x` in backticks is relative to the kiosk's working directory (`./rvm-kiosk.json`), not to the doc.
    if (token.startsWith('./')) continue;
    if (token.startsWith('../')) checkPathToken(token, docDir, facts, sink);
    else if (!IN_REPO_FOLDER.test(token) && (ROOT_FILE.test(token) || SOURCE_FILE.test(expandBraces(token)[0]!))) {
      checkPathToken(token, docDir, facts, sink);
    }
  }

  // A script named without `npm run` (`bench:detect`).
  const scriptLike = /^([a-z]+):([a-z][\w-]*)$/.exec(span.trim());
  if (scriptLike && [...facts.scripts].some((s) => s.startsWith(`${scriptLike[1]}:`)) && !facts.scripts.has(span.trim())) {
    sink.add('script', span.trim());
  }

  // Calls: every identifier directly before `(` (a placeholder such as `setup…(ctx)` has none).
  for (const m of span.matchAll(/(?<![\w$…])([A-Za-z_$][\w$]*)\s*\(/g)) {
    const name = m[1]!;
    if (KEYWORDS.has(name)) continue;
    const qualified = /([A-Za-z_$][\w$]*)\.$/.exec(span.slice(0, m.index));
    if (qualified && EXTERNAL_NAMES.has(`${qualified[1]}.${name}`)) continue;
    if (!facts.hasIdentifier(name)) sink.add('function', `${name}()`);
  }

  // Dotted tokens: `Class.member`, or a configuration key when the first segment is a section.
  for (const m of span.matchAll(/(?<![\w$./@-])([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+)(?![\w$])(\s*\()?/g)) {
    const token = m[1]!;
    const segments = token.split('.');
    const last = segments.at(-1)!;
    if (FILE_EXTENSION.test(last) || m[2]) continue; // a file name; or a call, checked above
    if (/^[A-Z]/.test(segments[0]!)) {
      if (EXTERNAL_NAMES.has(token)) continue;
      for (const name of segments.slice(0, 2)) if (!facts.hasIdentifier(name)) sink.add('function', token);
      continue;
    }
    if (!facts.sections.has(segments[0]!) || EXTERNAL_NAMES.has(token)) continue;
    const declared = segments.some((_, i) => i >= 1 && facts.declaredNames.has(segments.slice(0, i + 1).join('.')));
    if (declared) continue;
    if (!facts.isConfigKey(segments)) sink.add('config', token);
  }
}

/** Every stale reference in one markdown document. `doc` is its repository-relative path (for messages and links). */
export function checkMarkdown(doc: string, text: string, facts: RepoFacts): Problem[] {
  const problems: Problem[] = [];
  const seen = new Set<string>();
  const docDir = path.posix.dirname(doc);
  let fenced = false;
  text.split('\n').forEach((line, index) => {
    const sink: Sink = {
      add(kind, ref) {
        const key = `${index}:${kind}:${ref}`;
        if (seen.has(key)) return;
        seen.add(key);
        problems.push({ doc, line: index + 1, kind, ref });
      },
    };
    if (/^\s*(```|~~~)/.test(line)) {
      fenced = !fenced;
      return;
    }
    checkScripts(line, facts, sink);
    checkEnvVars(line, facts, sink);
    if (fenced) return;
    const spans = [...line.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);
    for (const span of spans) checkSpan(span, docDir, facts, sink);
    const prose = line.replace(/`[^`]+`/g, '');
    for (const m of prose.matchAll(/\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
      const target = m[1]!.replace(/#.*$/, '');
      if (!target || /^[a-z][\w+.-]*:/i.test(target) || PLACEHOLDER.test(target)) continue;
      const rel = path.posix.normalize(path.posix.join(docDir, target)).replace(/\/$/, '');
      if (!facts.exists(rel)) sink.add('path', target);
    }
  });
  return problems;
}

export function formatProblem(p: Problem): string {
  const what = { path: 'no such path', script: 'no such npm script', config: 'no such configuration key', function: 'not found in src/ or main/' }[p.kind];
  return `${p.doc}:${p.line}: ${what}: ${p.ref}`;
}

// ---------------------------------------------------------------------------------------------------------
// The real repository.

const SKIP_DIRS = new Set(['node_modules', '.git', 'dist', 'out', 'test-output', '.rvm-data']);

function walk(root: string, dir: string, out: string[]): void {
  for (const entry of readdirSync(path.join(root, dir), { withFileTypes: true })) {
    if (SKIP_DIRS.has(entry.name)) continue;
    const rel = dir ? `${dir}/${entry.name}` : entry.name;
    if (entry.isDirectory()) walk(root, rel, out);
    else out.push(rel);
  }
}

/** Minimal view of a zod 4 schema's definition, enough to walk object shapes. */
interface ZodLike {
  _zod: { def: { type: string; innerType?: ZodLike; shape?: Record<string, ZodLike>; options?: ZodLike[]; in?: ZodLike; out?: ZodLike; getter?: () => ZodLike; valueType?: ZodLike } };
}

/** Does `segments` name a key of `schema`? Records and untyped values accept any key below them. */
export function schemaHasKey(schema: ZodLike, segments: readonly string[]): boolean {
  const def = schema._zod.def;
  switch (def.type) {
    case 'default':
    case 'prefault':
    case 'optional':
    case 'nullable':
    case 'catch':
    case 'readonly':
    case 'nonoptional':
      return schemaHasKey(def.innerType!, segments);
    case 'pipe':
      return schemaHasKey(def.in!, segments) || schemaHasKey(def.out!, segments);
    case 'lazy':
      return schemaHasKey(def.getter!(), segments);
    case 'union':
      return (def.options ?? []).some((o) => schemaHasKey(o, segments));
    case 'record':
    case 'any':
    case 'unknown':
      return true;
    case 'object': {
      if (segments.length === 0) return true;
      const child = def.shape?.[segments[0]!];
      return child !== undefined && schemaHasKey(child, segments.slice(1));
    }
    default:
      return segments.length === 0;
  }
}

function defaultsHaveKey(value: unknown, segments: readonly string[]): boolean {
  let node = value;
  for (const segment of segments) {
    if (typeof node !== 'object' || node === null || Array.isArray(node) || !(segment in node)) return false;
    node = (node as Record<string, unknown>)[segment];
  }
  return true;
}

export async function loadRepoFacts(root: string): Promise<RepoFacts> {
  const files: string[] = [];
  walk(root, '', files);
  const paths = new Set<string>();
  for (const file of files) {
    const parts = file.split('/');
    for (let i = 1; i <= parts.length; i += 1) paths.add(parts.slice(0, i).join('/'));
  }
  const endings = files.map((f) => `/${f}`);

  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts?: Record<string, string> };

  const schemaModule = (await import(path.join(root, 'src/app/config-schema.ts'))) as { kioskConfig: ZodLike & { parse(v: unknown): unknown } };
  const schema = schemaModule.kioskConfig;
  const defaults = schema.parse({}) as Record<string, unknown>;
  const sections = new Set(Object.keys(defaults).filter((k) => typeof defaults[k] === 'object' && defaults[k] !== null));

  const sourceFiles = files.filter((f) => /^(?:src|main)\//.test(f) && /\.(?:ts|tsx|mts|mjs|js|cjs)$/.test(f));
  const identifiers = new Set<string>();
  const declaredNames = new Set<string>();
  for (const file of sourceFiles) {
    const source = readFileSync(path.join(root, file), 'utf8');
    for (const m of source.matchAll(/[A-Za-z_$][\w$]*/g)) identifiers.add(m[0]);
    for (const m of source.matchAll(/['"]([a-z]\w*(?:\.[A-Za-z_]\w*)+)['"]\s*[:?]/g)) declaredNames.add(m[1]!);
  }

  return {
    exists: (rel) => {
      const normal = path.posix.normalize(rel).replace(/\/$/, '');
      return normal.startsWith('../') ? existsSync(path.join(root, normal)) : paths.has(normal);
    },
    hasFileEnding: (suffix) => endings.some((f) => f.endsWith(`/${suffix}`)),
    scripts: new Set(Object.keys(pkg.scripts ?? {})),
    sections,
    isConfigKey: (segments) => defaultsHaveKey(defaults, segments) || schemaHasKey(schema, segments),
    declaredNames,
    hasIdentifier: (name) => identifiers.has(name),
  };
}

/** README.md and docs/*.md, repository-relative. */
export function docFiles(root: string): string[] {
  const docs = readdirSync(path.join(root, 'docs')).filter((f) => f.endsWith('.md')).sort();
  return ['README.md', ...docs.map((f) => `docs/${f}`)];
}

/**
 * Packages of `package.json` (dependencies and devDependencies) missing from the first column of the table
 * under `heading` in `markdown`, and packages the table names that `package.json` does not declare.
 */
export function dependencyTableGaps(markdown: string, heading: string, pkg: { dependencies?: Record<string, string>; devDependencies?: Record<string, string> }): { missing: string[]; unknown: string[] } {
  const start = markdown.indexOf(heading);
  const section = start < 0 ? '' : markdown.slice(start + heading.length).split(/\n#{1,6} /)[0]!;
  const named = new Set<string>();
  for (const line of section.split('\n')) {
    const cell = /^\|([^|]+)\|/.exec(line)?.[1]?.trim();
    if (!cell || /^-+$/.test(cell) || cell === 'package') continue;
    for (const name of cell.split(',')) named.add(name.trim());
  }
  const declared = new Set([...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.devDependencies ?? {})]);
  return { missing: [...declared].filter((n) => !named.has(n)).sort(), unknown: [...named].filter((n) => !declared.has(n)).sort() };
}
