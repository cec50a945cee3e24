#!/usr/bin/env node
// The `rvm-kiosk` command of a checkout (package.json "bin"; `npx rvm-kiosk --help`). It runs the TypeScript
// entry main/cli/main.ts through tsx (a devDependency) when the sources and tsx are there, else the compiled
// dist/main/cli/main.js of `npm run build:node`. The packaged app needs neither: its Electron executable
// reads the same arguments itself (main/electron/main.ts).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const source = path.join(root, 'main', 'cli', 'main.ts');
const built = path.join(root, 'dist', 'main', 'cli', 'main.js');

async function tsxRegister() {
  try {
    return (await import('tsx/esm/api')).register;
  } catch {
    return null;
  }
}

const register = existsSync(source) ? await tsxRegister() : null;
if (register) {
  register();
  await import(pathToFileURL(source).href);
} else if (existsSync(built)) {
  await import(pathToFileURL(built).href);
} else {
  console.error(`rvm-kiosk: neither tsx with ${path.relative(process.cwd(), source) || source} nor a build (${built}) is here: run npm ci, or npm run build:node`);
  process.exit(1);
}
