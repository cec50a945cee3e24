/**
 * `rvm-kiosk [command] [options]`: one command line for the checkout (`npx rvm-kiosk`, bin/rvm-kiosk.mjs) and
 * the packaged Electron app (its own arguments, main/electron/main.ts). Parsed with Node's `util.parseArgs`
 * in strict mode, per command, so an unknown flag or a missing argument is an error that names it, never
 * silently ignored. Pure: no I/O, so both hosts and the tests share it.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';

export class UsageError extends Error {
  constructor(
    message: string,
    /** The command whose help to point at; null for the general help. */
    readonly command: CommandName | null,
  ) {
    super(message);
  }
}

type OptionSpec = NonNullable<ParseArgsConfig['options']>[string] & { help: string; arg?: string };

const CONFIG: OptionSpec = { type: 'string', arg: 'FILE', help: 'configuration file (default: $RVM_CONFIG, else ./rvm-kiosk.json when present)' };
const HELP: OptionSpec = { type: 'boolean', short: 'h', help: 'show this help' };

export const COMMANDS = {
  start: {
    summary: 'run the kiosk (the default command)',
    positional: null,
    options: {
      config: CONFIG,
      browser: { type: 'boolean', help: 'serve the UI to a browser over loopback instead of Electron (checkout only)' },
      headless: { type: 'boolean', help: 'run the core with no UI; events are printed as JSON lines (checkout only)' },
      'no-open': { type: 'boolean', help: 'with the browser host: print the URL, do not open Chromium' },
      help: HELP,
    },
  },
  doctor: {
    summary: 'check configuration, credentials, controller, camera, model, server, clock, disk and display',
    positional: null,
    options: {
      config: CONFIG,
      json: { type: 'boolean', help: 'print the report as JSON (for scripts and monitoring)' },
      help: HELP,
    },
  },
  'import-credentials': {
    summary: "check a machine's rvm-credentials.json and store it in the data folder (mode 0600)",
    positional: 'FILE',
    options: {
      config: CONFIG,
      force: { type: 'boolean', help: "replace credentials of a different machine (another serial number)" },
      help: HELP,
    },
  },
  'export-logs': {
    summary: "copy the kiosk's log files into DIR (for a support request)",
    positional: 'DIR',
    options: {
      config: CONFIG,
      help: HELP,
    },
  },
  backup: {
    summary: "write a backup archive of the machine's durable state (never its credentials); docs/backup.md",
    positional: null,
    options: {
      config: CONFIG,
      out: { type: 'string', arg: 'DIR', help: 'folder for the archive (default: the configured backup folder, <dataDir>/backups)' },
      help: HELP,
    },
  },
  restore: {
    summary: 'restore a backup archive into the data folder (stop the kiosk first); docs/backup.md',
    positional: 'FILE',
    options: {
      config: CONFIG,
      force: { type: 'boolean', help: "restore an archive of another machine, or before this machine's credentials are imported" },
      help: HELP,
    },
  },
} as const satisfies Record<string, { summary: string; positional: string | null; options: Record<string, OptionSpec> }>;

export type CommandName = keyof typeof COMMANDS;

export interface ParsedCli {
  command: CommandName;
  /** True when --help was given (for the command, or --help with no command: general help). */
  help: boolean;
  /** Set with --help and no command, or -v/--version. */
  general: 'help' | 'version' | null;
  config: string | undefined;
  flags: { browser: boolean; headless: boolean; noOpen: boolean; json: boolean; force: boolean };
  /** FILE for import-credentials and restore, DIR for export-logs. */
  target: string | undefined;
  /** --out DIR of backup. */
  out?: string | undefined;
}

export const isCommand = (name: string): name is CommandName => Object.hasOwn(COMMANDS, name);

export function parseCli(argv: readonly string[]): ParsedCli {
  const args = [...argv];
  const blank: Omit<ParsedCli, 'command'> = { help: false, general: null, config: undefined, flags: { browser: false, headless: false, noOpen: false, json: false, force: false }, target: undefined };
  if (args.length === 1 && (args[0] === '--help' || args[0] === '-h' || args[0] === 'help')) return { ...blank, command: 'start', general: 'help' };
  if (args.length === 1 && (args[0] === '--version' || args[0] === '-v')) return { ...blank, command: 'start', general: 'version' };

  let command: CommandName = 'start';
  if (args[0] !== undefined && !args[0].startsWith('-')) {
    const name = args.shift()!;
    if (!isCommand(name)) throw new UsageError(`unknown command "${name}"${hint(name, Object.keys(COMMANDS))}`, null);
    command = name;
  }
  const spec = COMMANDS[command];
  const options = Object.fromEntries(Object.entries(spec.options).map(([name, o]) => [name, { type: o.type, ...('short' in o ? { short: o.short } : {}) }]));
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args, options, strict: true, allowPositionals: true });
  } catch (err) {
    throw new UsageError(reword(err as Error & { code?: string }, command), command);
  }
  const values = parsed.values as Record<string, string | boolean | undefined>;
  const help = values.help === true;
  const positionals = parsed.positionals;
  if (!help) {
    if (spec.positional === null && positionals.length) throw new UsageError(`rvm-kiosk ${command} takes no arguments, got "${positionals[0]}"${command === 'start' ? hint(positionals[0]!, Object.keys(COMMANDS), 'command') : ''}`, command);
    if (spec.positional !== null && positionals.length !== 1) {
      throw new UsageError(positionals.length ? `rvm-kiosk ${command} takes one ${spec.positional}, got ${positionals.length}` : `rvm-kiosk ${command} needs ${spec.positional}`, command);
    }
  }
  return {
    command,
    help,
    general: null,
    config: typeof values.config === 'string' ? values.config : undefined,
    flags: { browser: values.browser === true, headless: values.headless === true, noOpen: values['no-open'] === true, json: values.json === true, force: values.force === true },
    target: spec.positional !== null ? positionals[0] : undefined,
    out: typeof values.out === 'string' ? values.out : undefined,
  };
}

/** parseArgs' messages, said our way: the flag, the command, and the nearest real flag. */
function reword(err: Error & { code?: string }, command: CommandName): string {
  const known = Object.keys(COMMANDS[command].options).map((o) => `--${o}`);
  const flag = /'(-[^']*)'/.exec(err.message)?.[1]?.split(/[= ]/)[0] ?? '';
  switch (err.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION': {
      const elsewhere = Object.entries(COMMANDS)
        .filter(([name, c]) => name !== command && Object.keys(c.options).includes(flag.replace(/^-+/, '')))
        .map(([name]) => `rvm-kiosk ${name}`);
      const where = elsewhere.length ? ` (it belongs to ${elsewhere.join(', ')})` : hint(flag, known);
      return `unknown option ${flag} for rvm-kiosk ${command}${where}`;
    }
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return /argument missing/.test(err.message) ? `option ${flag || err.message} needs a value` : `option ${flag}: ${err.message}`;
    default:
      return err.message;
  }
}

function hint(given: string, candidates: string[], what = ''): string {
  const close = candidates.filter((c) => distance(given.toLowerCase(), c.toLowerCase()) <= Math.max(1, Math.floor(c.length / 3)));
  return close.length ? ` — did you mean ${close.map((c) => `"${c}"`).join(' or ')}${what ? ` (${what})` : ''}?` : '';
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length]!;
}

// --- help ----------------------------------------------------------------------------------------------------

export function generalHelp(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length + (COMMANDS[c as CommandName].positional?.length ?? -1) + 1));
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${`${name}${c.positional ? ` ${c.positional}` : ''}`.padEnd(width + 2)}${c.summary}`);
  return [
    'Usage: rvm-kiosk [command] [options]',
    '',
    'Commands:',
    ...lines,
    '',
    'Options for every command: --config FILE, -h/--help.  rvm-kiosk <command> --help shows a command\'s options.',
    'Configuration: defaults ← file ← RVM__section__field environment variables (docs/configuration.md).',
    'Exit codes: 0 fine, 1 a check or the command failed, 2 a usage error.',
  ].join('\n');
}

export function commandHelp(command: CommandName): string {
  const spec = COMMANDS[command];
  const opts = Object.entries(spec.options).map(([name, o]) => {
    const left = `${'short' in o ? `-${o.short}, ` : ''}--${name}${'arg' in o ? ` ${o.arg}` : ''}`;
    return { left, help: o.help };
  });
  const width = Math.max(...opts.map((o) => o.left.length));
  return [`Usage: rvm-kiosk ${command}${spec.positional ? ` ${spec.positional}` : ''} [options]`, '', spec.summary, '', 'Options:', ...opts.map((o) => `  ${o.left.padEnd(width + 2)}${o.help}`)].join('\n');
}
