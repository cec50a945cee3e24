/**
 * Bundles the Electron preload into one self-contained CommonJS file. A sandboxed preload cannot load other
 * files or Node built-ins (only `require('electron')`), so everything it imports is inlined here, and the
 * contract's command and event names are baked in as constants — the preload checks names without shipping zod.
 *
 *   npx tsx scripts/build-preload.ts [outfile]     (default dist/preload/preload.cjs)
 */
import { build } from 'esbuild';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { commands, events } from '../src/contract/index.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const DEFAULT_PRELOAD_OUTFILE = path.join(repoRoot, 'dist/preload/preload.cjs');

export async function buildPreload(outfile: string = DEFAULT_PRELOAD_OUTFILE): Promise<string> {
  await build({
    entryPoints: [path.join(repoRoot, 'main/preload/preload.ts')],
    outfile,
    bundle: true,
    // 'browser' makes esbuild refuse any Node built-in import, which the sandbox could not load anyway.
    platform: 'browser',
    format: 'cjs',
    target: 'es2023',
    external: ['electron'],
    define: {
      __RVM_COMMAND_NAMES__: JSON.stringify(Object.keys(commands)),
      __RVM_EVENT_NAMES__: JSON.stringify(Object.keys(events)),
    },
    legalComments: 'none',
    logLevel: 'warning',
  });
  return outfile;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const out = await buildPreload(process.argv[2] ? path.resolve(process.argv[2]) : undefined);
  console.log(`preload bundled: ${path.relative(process.cwd(), out)}`);
}
