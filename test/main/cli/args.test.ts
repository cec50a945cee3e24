/** The command line (main/cli/args.ts, main/cli/electron-argv.ts): commands, flags, help, and errors that name the problem. */
import { describe, expect, it } from 'vitest';
import { COMMANDS, commandHelp, generalHelp, parseCli, UsageError } from '../../../main/cli/args.js';
import { CHROMIUM_SWITCHES, ownArgs } from '../../../main/cli/electron-argv.js';

const usage = (argv: string[]) => {
  try {
    parseCli(argv);
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return (err as Error).message;
  }
  throw new Error(`${argv.join(' ')} parsed without an error`);
};

describe('parsing', () => {
  it('runs start by default, with its flags', () => {
    expect(parseCli([])).toMatchObject({ command: 'start', help: false, general: null, config: undefined });
    expect(parseCli(['--browser', '--no-open', '--config', 'k.json'])).toMatchObject({ command: 'start', config: 'k.json', flags: { browser: true, noOpen: true, headless: false } });
    expect(parseCli(['start', '--headless', '--config=k.json'])).toMatchObject({ command: 'start', config: 'k.json', flags: { headless: true } });
  });

  it('takes each command’s own flags and argument', () => {
    expect(parseCli(['doctor', '--json'])).toMatchObject({ command: 'doctor', flags: { json: true } });
    expect(parseCli(['import-credentials', '/media/usb/rvm-credentials.json', '--force'])).toMatchObject({ command: 'import-credentials', target: '/media/usb/rvm-credentials.json', flags: { force: true } });
    expect(parseCli(['export-logs', '/media/usb'])).toMatchObject({ command: 'export-logs', target: '/media/usb' });
  });

  it('answers --help, -h and --version', () => {
    expect(parseCli(['--help']).general).toBe('help');
    expect(parseCli(['-h']).general).toBe('help');
    expect(parseCli(['--version']).general).toBe('version');
    expect(parseCli(['doctor', '--help'])).toMatchObject({ command: 'doctor', help: true });
    expect(parseCli(['import-credentials', '-h'])).toMatchObject({ command: 'import-credentials', help: true });
  });
});

describe('errors name the problem', () => {
  it('an unknown flag, with the nearest real one', () => {
    expect(usage(['--frobnicate'])).toBe('unknown option --frobnicate for rvm-kiosk start');
    expect(usage(['doctor', '--jsno'])).toBe('unknown option --jsno for rvm-kiosk doctor — did you mean "--json"?');
  });

  it('a flag of another command, saying which', () => {
    expect(usage(['start', '--force'])).toBe('unknown option --force for rvm-kiosk start (it belongs to rvm-kiosk import-credentials, rvm-kiosk restore)');
    expect(usage(['--json'])).toContain('(it belongs to rvm-kiosk doctor)');
  });

  it('an unknown command, and a misspelt one', () => {
    expect(usage(['frobnicate'])).toBe('unknown command "frobnicate"');
    expect(usage(['docter'])).toBe('unknown command "docter" — did you mean "doctor"?');
  });

  it('a missing or extra argument, and a flag without its value', () => {
    expect(usage(['import-credentials'])).toBe('rvm-kiosk import-credentials needs FILE');
    expect(usage(['export-logs', 'a', 'b'])).toBe('rvm-kiosk export-logs takes one DIR, got 2');
    expect(usage(['doctor', 'now'])).toBe('rvm-kiosk doctor takes no arguments, got "now"');
    expect(usage(['--config'])).toBe('option --config needs a value');
  });

  it('tells which help to read', () => {
    try {
      parseCli(['doctor', '--x']);
    } catch (err) {
      expect((err as UsageError).command).toBe('doctor');
    }
  });
});

describe('help', () => {
  it('lists every command, and each command’s options', () => {
    const help = generalHelp();
    for (const name of Object.keys(COMMANDS)) expect(help).toContain(name);
    expect(commandHelp('doctor')).toMatch(/--config FILE[\s\S]*--json/);
    expect(commandHelp('import-credentials')).toMatch(/Usage: rvm-kiosk import-credentials FILE[\s\S]*--force/);
  });
});

describe('the Electron executable’s argv', () => {
  it('sets Chromium’s switches aside and keeps ours, packaged or as `electron .`', () => {
    expect(ownArgs(['/opt/rvm/current/rvm-kiosk', '--ozone-platform=x11', '--password-store=basic', 'doctor', '--json'], false)).toEqual({
      ours: ['doctor', '--json'],
      chromium: ['--ozone-platform=x11', '--password-store=basic'],
    });
    expect(ownArgs(['/usr/bin/electron', '/work/rvm-kiosk', '--no-sandbox', '--config', 'k.json'], true)).toEqual({ ours: ['--config', 'k.json'], chromium: ['--no-sandbox'] });
  });

  it('passes an unlisted switch on to our parser, which names it', () => {
    const { ours } = ownArgs(['/opt/rvm/current/rvm-kiosk', '--frobnicate-gpu'], false);
    expect(usage(ours)).toBe('unknown option --frobnicate-gpu for rvm-kiosk start');
    expect(CHROMIUM_SWITCHES).toEqual(expect.arrayContaining(['ozone-platform', 'password-store']));
  });
});
