/**
 * The docs name files, scripts, configuration keys and functions; this fails, naming the doc, the line and the
 * reference, when one of them no longer exists. Rules and their limits: test/docs/doc-references.ts.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkMarkdown, dependencyTableGaps, docFiles, formatProblem, loadRepoFacts, type RepoFacts } from './doc-references.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
let facts: RepoFacts;

beforeAll(async () => {
  facts = await loadRepoFacts(root);
});

describe('doc references', () => {
  it.each(docFiles(root))('%s names only things that exist', (doc) => {
    const problems = checkMarkdown(doc, readFileSync(path.join(root, doc), 'utf8'), facts);
    expect(problems.map(formatProblem)).toEqual([]);
  });
});

describe('docs/architecture.md dependency table', () => {
  it('names every package of package.json, and only those', () => {
    const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as Record<string, Record<string, string>>;
    const doc = readFileSync(path.join(root, 'docs/architecture.md'), 'utf8');
    expect(dependencyTableGaps(doc, '## Dependencies and why', pkg)).toEqual({ missing: [], unknown: [] });
  });
});

describe('the checker itself', () => {
  const sample = [
    'Real ones pass: `src/app/config-schema.ts`, [the outbox](outbox.md), `flush-pass.ts`, `electron-builder.yml`,',
    '`npm run check:layers`, `outbox.maxPending`, `server.realtime.appKey`, `RVM__server__mode=remote`,',
    '`outbox.state.alarms` (an event, not a key), `KioskCore.dispatch`, `record(credit)`, `<dataDir>/outbox/`, `test/main/electron/*`.',
    'Made up: `src/outbox/no-such-file.ts`, [gone](gone.md), `vanished-module.ts`, `npm run bench:nothing`,',
    '`outbox.maxPendng`, `RVM__server__nope`, `frobnicateCredits()`, `KioskCore.teleport`.',
    '```sh',
    'npm run sim:nowhere',
    '```',
  ].join('\n');

  it('reports each made-up reference with its doc, line and kind, and nothing real', () => {
    const found = checkMarkdown('docs/sample.md', sample, facts).map((p) => `${p.doc}:${p.line} ${p.kind} ${p.ref}`);
    expect(found.sort()).toEqual(
      [
        'docs/sample.md:4 path src/outbox/no-such-file.ts',
        'docs/sample.md:4 path gone.md',
        'docs/sample.md:4 path vanished-module.ts',
        'docs/sample.md:4 script npm run bench:nothing',
        'docs/sample.md:5 config outbox.maxPendng',
        'docs/sample.md:5 config RVM__server__nope',
        'docs/sample.md:5 function frobnicateCredits()',
        'docs/sample.md:5 function KioskCore.teleport',
        'docs/sample.md:7 script npm run sim:nowhere',
      ].sort(),
    );
  });

  it('finds packages missing from a dependency table, and names that are not packages', () => {
    const doc = '## Dependencies and why\n\n| package | why |\n|---|---|\n| zod, left-pad | schemas |\n\n## Next\n| undici | not this table |\n';
    expect(dependencyTableGaps(doc, '## Dependencies and why', { dependencies: { zod: '4', undici: '7' }, devDependencies: { esbuild: '0' } })).toEqual({
      missing: ['esbuild', 'undici'],
      unknown: ['left-pad'],
    });
  });

  it('formats a failure so it names the doc and the reference', () => {
    const [problem] = checkMarkdown('README.md', 'See `scripts/missing.ts`.', facts);
    expect(problem && formatProblem(problem)).toBe('README.md:1: no such path: scripts/missing.ts');
  });
});
