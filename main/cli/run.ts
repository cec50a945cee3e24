/**
 * The commands other than `start`, shared by the Node entry (main/cli/main.ts) and the packaged Electron app
 * (main/electron/main.ts): each returns its exit code — 0 fine, 1 failed, 2 usage — and prints through `io`.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ConfigError, describeStartLine, loadConfig, type ConfigSource } from '../../src/app/load-config.js';
import { commandHelp, generalHelp, type ParsedCli } from './args.js';
import { formatDoctorJson, formatDoctorTable } from './doctor-print.js';
import { exportLogs } from './export-logs.js';
import { importCredentialsCommand } from './import-credentials.js';
import { backupCommand, restoreCommand } from './backup-restore.js';
import type { SecretStore } from '../../src/storage/secret-store.js';

export interface CliIo {
  env: NodeJS.ProcessEnv;
  cwd: string;
  out(text: string): void;
  err(text: string): void;
  version: string;
  /** Electron: <userData>/data, the kiosk's default data folder there. */
  defaultDataDir?: string;
  /** Electron's userData folder(s): logs/ and gpu-state.json live there. */
  userDataDirs: string[];
  /** How secrets rest: the packaged app passes its safeStorage store (main/electron/safe-storage-secrets.ts); absent: 0600 files. */
  secrets?: SecretStore;
  /** The kiosk unit's journal (journalctl), or null; injectable for tests. */
  journal?: () => string | null;
}

export { parseOrReport } from './args-report.js';

/** Help, version and every command but `start` (which each host runs its own way). */
export async function runCommand(cli: ParsedCli, io: CliIo): Promise<number> {
  if (cli.general === 'help') return print(io, generalHelp());
  if (cli.general === 'version') return print(io, `rvm-kiosk ${io.version}`);
  if (cli.help) return print(io, commandHelp(cli.command));
  const configSource: ConfigSource = { argv: [], env: io.env, cwd: io.cwd, file: cli.config, ...(io.defaultDataDir ? { defaultDataDir: io.defaultDataDir } : {}) };

  switch (cli.command) {
    case 'doctor': {
      const gpuStateFile = io.userDataDirs.map((d) => path.join(d, 'gpu-state.json'))[0] ?? null;
      // The doctor loads every feature (serial, onnxruntime, the simulators): only when it runs.
      const { runDoctor } = await import('../../src/app/doctor/run-doctor.js');
      const report = await runDoctor({ configSource, gpuStateFile, ...(io.secrets ? { secrets: io.secrets } : {}) });
      io.out(cli.flags.json ? formatDoctorJson(report) : formatDoctorTable(report));
      return report.ok ? 0 : 1;
    }
    case 'import-credentials': {
      const loaded = loadOrReport(configSource, io);
      if (!loaded) return 1;
      const outcome = await importCredentialsCommand(cli.target!, loaded.config, { force: cli.flags.force, cwd: io.cwd, ...(io.secrets ? { secrets: io.secrets } : {}) });
      (outcome.code === 0 ? io.out : io.err)(outcome.lines.join('\n'));
      return outcome.code;
    }
    case 'export-logs': {
      const loaded = loadOrReport(configSource, io);
      const dataDir = loaded?.config.dataDir ?? null;
      const logDirs = [...io.userDataDirs.map((d) => path.join(d, 'logs')), ...(dataDir ? [dataDir, path.join(dataDir, 'logs'), path.join(dataDir, 'maintenance')] : [])];
      const outcome = await exportLogs({
        dir: path.resolve(io.cwd, cli.target!),
        logDirs,
        journal: io.journal ?? kioskJournal,
        summary: loaded ? `rvm-kiosk ${io.version}; ${describeStartLine(loaded.config, loaded.sources)}` : `rvm-kiosk ${io.version}; configuration not loadable`,
      });
      (outcome.code === 0 ? io.out : io.err)(outcome.lines.join('\n'));
      return outcome.code;
    }
    case 'backup':
    case 'restore': {
      const loaded = loadOrReport(configSource, io);
      if (!loaded) return 1;
      const outcome = cli.command === 'backup' ? await backupCommand(loaded.config, { out: cli.out, cwd: io.cwd, secrets: io.secrets }) : await restoreCommand(cli.target!, loaded.config, { force: cli.flags.force, cwd: io.cwd, secrets: io.secrets });
      (outcome.code === 0 ? io.out : io.err)(outcome.lines.join('\n'));
      return outcome.code;
    }
    case 'start':
      throw new Error('start is run by the host, not by runCommand');
  }
}

function print(io: CliIo, text: string): number {
  io.out(text);
  return 0;
}

function loadOrReport(source: ConfigSource, io: CliIo) {
  try {
    return loadConfig(source);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    io.err(`rvm-kiosk: ${err.message}`);
    return null;
  }
}

/** The unit's journal: the user's own journal first, then the system journal's record of the user unit. */
export function kioskJournal(): string | null {
  for (const args of [['--user', '-u', 'rvm-kiosk'], ['_SYSTEMD_USER_UNIT=rvm-kiosk.service']]) {
    const out = spawnSync('journalctl', [...args, '--no-pager', '-o', 'short-iso', '-n', '50000'], { encoding: 'utf8', timeout: 20_000, maxBuffer: 256 * 1024 * 1024 });
    const text = out.stdout?.trim() ?? '';
    if (out.status === 0 && text && !/^-- No entries --$/m.test(text) && text.split('\n').length > 1) return `${text}\n`;
  }
  return null;
}
