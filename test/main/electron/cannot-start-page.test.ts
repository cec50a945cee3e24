/**
 * The "cannot start" page: both languages complete (every key, every reason code), the reason, the doctor
 * command and the error code shown in both, the detail escaped, and a CSP that lets no script run.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/app/load-config.js';
import { CANNOT_START_STRINGS, cannotStartUrl, renderCannotStartPage } from '../../../main/electron/cannot-start-page.js';
import { describeStartFailure, startFailureCodes } from '../../../main/electron/start-failure-reason.js';

const keysOf = (value: unknown, prefix = ''): string[] =>
  typeof value === 'object' && value !== null ? Object.entries(value).flatMap(([k, v]) => keysOf(v, `${prefix}${k}.`)) : [prefix.slice(0, -1)];

describe('cannot-start strings', () => {
  it('has the same keys in Bahasa Indonesia and English, and words for every reason code', () => {
    expect(keysOf(CANNOT_START_STRINGS.id).sort()).toEqual(keysOf(CANNOT_START_STRINGS.en).sort());
    for (const language of ['id', 'en'] as const) {
      expect(Object.keys(CANNOT_START_STRINGS[language].reasons).sort()).toEqual([...startFailureCodes].sort());
      for (const text of keysOf(CANNOT_START_STRINGS[language])) expect(text).not.toBe('');
    }
  });
});

describe('renderCannotStartPage', () => {
  const view = {
    failure: { code: 'config_invalid' as const, detail: 'unknown key "hardwre" — did you mean "hardware"? <script>alert(1)</script>' },
    attempt: 4,
    nextTryAt: new Date(2025, 0, 1, 14, 5),
  };
  const html = renderCannotStartPage(view);

  it('says in both languages that the machine cannot start, why, what to do and the code', () => {
    expect(html).toContain('Mesin tidak dapat dimulai');
    expect(html).toContain('The machine cannot start');
    expect(html).toContain(CANNOT_START_STRINGS.id.reasons.config_invalid);
    expect(html).toContain(CANNOT_START_STRINGS.en.reasons.config_invalid);
    expect(html.match(/<code>rvm-kiosk doctor<\/code>/g)).toHaveLength(2);
    expect(html.match(/<code>config_invalid<\/code>/g)).toHaveLength(2);
    expect(html).toContain('Percobaan ke-4. Mencoba lagi pukul 14:05.');
    expect(html).toContain('Attempt 4. Trying again at 14:05.');
    expect(html.indexOf('lang="id"')).toBeLessThan(html.indexOf('lang="en"')); // Bahasa Indonesia first
  });

  it('shows the detail escaped, and its CSP allows no script and nothing from elsewhere', () => {
    expect(html).toContain('unknown key &quot;hardwre&quot;');
    expect(html).not.toContain('<script');
    const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1];
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toMatch(/script-src/);
  });

  it('travels as a data: URL that decodes to the same page', () => {
    const url = cannotStartUrl(view);
    expect(url.startsWith('data:text/html;charset=utf-8,')).toBe(true);
    expect(decodeURIComponent(url.slice(url.indexOf(',') + 1))).toBe(html);
  });
});

describe('describeStartFailure', () => {
  const errno = (code: string) => Object.assign(new Error(`${code}: mkdir '/var/rvm'`), { code });

  it('names the reason from what the error is', () => {
    expect(describeStartFailure(new ConfigError('unknown key "hardwre"'))).toEqual({ code: 'config_invalid', detail: 'unknown key "hardwre"' });
    expect(describeStartFailure(errno('EACCES')).code).toBe('data_dir_unwritable');
    expect(describeStartFailure(errno('EROFS')).code).toBe('data_dir_unwritable');
    expect(describeStartFailure(errno('ENOSPC')).code).toBe('disk_full');
    expect(describeStartFailure(new Error('model failed to load')).code).toBe('start_failed');
    expect(describeStartFailure('thrown string')).toEqual({ code: 'start_failed', detail: 'thrown string' });
  });

  it('keeps a long detail to one screenful', () => {
    expect(describeStartFailure(new Error('x'.repeat(5000))).detail.length).toBeLessThanOrEqual(600);
  });
});

describe('the doctor\'s verdict on the page', () => {
  const failure = { code: 'start_failed' as const, detail: 'the controller did not answer' };
  const base = { failure, attempt: 1, nextTryAt: new Date(2025, 0, 1, 9, 0) };
  const rows = [
    { id: 'config', title: 'configuration', status: 'ok' as const, detail: 'valid' },
    { id: 'disk', title: 'free disk', status: 'warn' as const, detail: '0.4 GiB free', fix: 'free space' },
    { id: 'serial-port', title: 'serial port', status: 'fail' as const, detail: '/dev/ttyUSB0 is present but kiosk may not open it <owned by group root>', fix: 'add the user to dialout: sudo usermod -aG dialout $USER' },
  ];

  it('says in both languages while the checks run, and shows no rows yet', () => {
    const html = renderCannotStartPage({ ...base, checks: 'running' });
    expect(html).toContain(CANNOT_START_STRINGS.id.checking);
    expect(html).toContain(CANNOT_START_STRINGS.en.checking);
    expect(html).not.toContain('class="verdict"');
  });

  it('lists failing rows before warnings, each with its fix, escaped; passing rows are left out', () => {
    const html = renderCannotStartPage({ ...base, checks: rows });
    expect(html).toContain('Pemeriksaan menemukan 2 hal yang perlu diperbaiki');
    expect(html).toContain('The checks found 2 thing(s) to fix');
    const fail = html.indexOf('<b>FAIL serial port</b>');
    expect(fail).toBeGreaterThan(0);
    expect(html.indexOf('<b>WARN free disk</b>')).toBeGreaterThan(fail);
    expect(html).toContain('may not open it &lt;owned by group root&gt;<br>Fix: add the user to dialout: sudo usermod -aG dialout $USER');
    expect(html).not.toContain('<owned');
    expect(html).not.toContain('configuration</b>');
    expect(html.indexOf('class="verdict"')).toBeLessThan(html.indexOf('<pre>')); // the verdict above the raw error
  });

  it('says the checks found nothing else when every row passed, and says nothing of checks when none ran', () => {
    const clean = renderCannotStartPage({ ...base, checks: [rows[0]!] });
    expect(clean).toContain(CANNOT_START_STRINGS.id.checksClean);
    expect(clean).toContain(CANNOT_START_STRINGS.en.checksClean);
    expect(clean).not.toContain('class="verdict"');
    const none = renderCannotStartPage(base);
    expect(none).not.toContain('class="checks"');
  });
});
