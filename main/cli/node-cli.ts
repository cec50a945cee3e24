/**
 * The `rvm-kiosk` command under plain Node (a checkout): `start` runs the kiosk (main/start.ts) and keeps
 * running; every other command runs once and resolves to its exit code. The process entry is main/cli/main.ts.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { setLogLevel } from '../../src/log/logger.js';
import { projectRoot } from '../project-paths.js';
import { parseOrReport } from './args-report.js';
import { userDataCandidates } from './user-data.js';

export async function runNodeCli(argv: readonly string[]): Promise<number | null> {
  const cli = parseOrReport(argv, { err: (text) => console.error(text) });
  if (!cli) return 2;
  if (cli.command === 'start' && !cli.help && !cli.general) {
    try {
      // Imported when needed: help and usage errors answer without loading the whole kiosk.
      const { startKiosk } = await import('../start.js');
      await startKiosk(cli, argv[0] === 'start' ? argv.slice(1) : argv);
    } catch (err) {
      console.error(`RVM kiosk failed to start: ${err instanceof Error ? err.message : String(err)}`);
      return 1;
    }
    return null; // keeps running
  }
  // One-shot commands print their own report; the core's info lines would only get in the way.
  if (!process.env.RVM_LOG_LEVEL) setLogLevel('error');
  const root = projectRoot();
  const version = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }).version;
  const { runCommand } = await import('./run.js');
  return runCommand(cli, {
    env: process.env,
    cwd: process.cwd(),
    out: (text) => console.log(text),
    err: (text) => console.error(text),
    version,
    userDataDirs: userDataCandidates(),
  });
}
