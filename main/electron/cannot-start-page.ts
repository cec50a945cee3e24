/**
 * The "cannot start" page, generated here as one self-contained HTML document in both languages (Bahasa
 * Indonesia first). It is shown exactly when the core — which serves the screens their strings — failed, so it
 * cannot lean on the renderer or the core; its strings live in the table below, one per language, and a test
 * checks both languages have every key and every reason code.
 *
 * No script at all: the page's own CSP allows none (and the window turns JavaScript off), so nothing a detail
 * contains can run. The detail (an English error message) is escaped; it may name a configuration key or a
 * folder, never a secret (the configuration loader never puts values of secret keys in its messages).
 *
 * Below the reason, the doctor's verdict (src/app/doctor/run-local-checks.ts: the checks that need no running
 * core): each failing or warning row with its fix. Those rows are the doctor's English, for the technician, as
 * `rvm-kiosk doctor` prints them; each language says how many there are. Until the checks are done the page
 * says they are running (main/electron/cannot-start.ts loads the page again with the verdict).
 */
import type { CheckResult } from '../../src/app/doctor/types.js';
import type { StartFailure, StartFailureCode } from './start-failure-reason.js';

export const CANNOT_START_LANGUAGES = ['id', 'en'] as const;
type Language = (typeof CANNOT_START_LANGUAGES)[number];

interface Strings {
  title: string;
  customer: string;
  reasons: Record<StartFailureCode, string>;
  /** {command} is `rvm-kiosk doctor`. */
  whatToDo: string;
  restart: string;
  /** {attempt}, {time}. */
  retry: string;
  code: string;
  checking: string;
  /** {count}: failing or warning rows, listed below the sections. */
  checksFound: string;
  checksClean: string;
}

export const CANNOT_START_STRINGS: Record<Language, Strings> = {
  id: {
    title: 'Mesin tidak dapat dimulai',
    customer: 'Mesin ini belum dapat menerima botol. Mohon maaf atas ketidaknyamanannya.',
    reasons: {
      config_invalid: 'Berkas konfigurasi tidak valid.',
      data_dir_unwritable: 'Folder data tidak dapat ditulisi.',
      disk_full: 'Penyimpanan penuh.',
      start_failed: 'Terjadi kesalahan saat memulai.',
    },
    whatToDo: 'Teknisi: jalankan {command} di mesin ini. Perintah itu menyebutkan penyebabnya dan cara memperbaikinya.',
    restart: 'Setelah diperbaiki, mesin mencoba lagi sendiri, atau jalankan {command}.',
    retry: 'Percobaan ke-{attempt}. Mencoba lagi pukul {time}.',
    code: 'Kode kesalahan',
    checking: 'Pemeriksaan mesin sedang berjalan…',
    checksFound: 'Pemeriksaan menemukan {count} hal yang perlu diperbaiki; rinciannya di bawah (dalam bahasa Inggris, untuk teknisi).',
    checksClean: 'Pemeriksaan tidak menemukan masalah lain: penyebabnya adalah kesalahan di bawah.',
  },
  en: {
    title: 'The machine cannot start',
    customer: 'This machine cannot take bottles yet. We are sorry for the inconvenience.',
    reasons: {
      config_invalid: 'The configuration is not valid.',
      data_dir_unwritable: 'The data folder cannot be written.',
      disk_full: 'The storage is full.',
      start_failed: 'Something went wrong while starting.',
    },
    whatToDo: 'Technician: run {command} on this machine. It names the cause and the fix.',
    restart: 'Once fixed, the machine tries again by itself, or run {command}.',
    retry: 'Attempt {attempt}. Trying again at {time}.',
    code: 'Error code',
    checking: 'Checking the machine…',
    checksFound: 'The checks found {count} thing(s) to fix; the details are below.',
    checksClean: 'The checks found nothing else wrong: the error below is the cause.',
  },
};

export interface CannotStartView {
  failure: StartFailure;
  /** Consecutive failed starts, this one included. */
  attempt: number;
  /** When the next try happens (shown as local HH:MM). */
  nextTryAt: Date;
  /** The doctor's rows (src/app/doctor/run-local-checks.ts), 'running' until they are done; absent: no checks line. */
  checks?: readonly CheckResult[] | 'running';
}

const DOCTOR = 'rvm-kiosk doctor';
const RESTART = 'systemctl --user restart rvm-kiosk';

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const fill = (template: string, values: Record<string, string>) => template.replace(/\{(\w+)\}/g, (_, key: string) => values[key] ?? `{${key}}`);

function section(language: Language, view: CannotStartView): string {
  const s = CANNOT_START_STRINGS[language];
  const time = `${String(view.nextTryAt.getHours()).padStart(2, '0')}:${String(view.nextTryAt.getMinutes()).padStart(2, '0')}`;
  const cmd = (command: string) => `<code>${escapeHtml(command)}</code>`;
  return [
    `<section lang="${language}">`,
    `<h1>${escapeHtml(s.title)}</h1>`,
    `<p class="customer">${escapeHtml(s.customer)}</p>`,
    `<p class="reason">${escapeHtml(s.reasons[view.failure.code])}</p>`,
    `<p>${fill(escapeHtml(s.whatToDo), { command: cmd(DOCTOR) })}</p>`,
    `<p>${fill(escapeHtml(s.restart), { command: cmd(RESTART) })}</p>`,
    ...(view.checks === undefined ? [] : [`<p class="checks">${escapeHtml(checksLine(s, view.checks))}</p>`]),
    `<p class="retry">${escapeHtml(fill(s.retry, { attempt: String(view.attempt), time }))}</p>`,
    `<p class="code">${escapeHtml(s.code)}: <code>${escapeHtml(view.failure.code)}</code></p>`,
    '</section>',
  ].join('\n');
}

const needsFix = (checks: readonly CheckResult[]) => checks.filter((c) => c.status === 'fail' || c.status === 'warn');

function checksLine(s: Strings, checks: readonly CheckResult[] | 'running'): string {
  if (checks === 'running') return s.checking;
  const count = needsFix(checks).length;
  return count === 0 ? s.checksClean : fill(s.checksFound, { count: String(count) });
}

/** The failing rows first, then the warnings: what the doctor found and what to do. */
function verdict(checks: CannotStartView['checks']): string[] {
  const rows = Array.isArray(checks) ? needsFix(checks).sort((a, b) => (a.status === b.status ? 0 : a.status === 'fail' ? -1 : 1)) : [];
  if (rows.length === 0) return [];
  return [
    '<ul class="verdict">',
    ...rows.map(
      (c) => `<li class="${c.status}"><b>${c.status === 'fail' ? 'FAIL' : 'WARN'} ${escapeHtml(c.title)}</b>: ${escapeHtml(c.detail)}${c.fix ? `<br>Fix: ${escapeHtml(c.fix)}` : ''}</li>`,
    ),
    '</ul>',
  ];
}

const STYLE = [
  'html,body{margin:0;height:100%;background:#111;color:#f2f2f2;font-family:sans-serif}',
  'main{box-sizing:border-box;min-height:100%;padding:6vh 6vw;display:flex;flex-direction:column;gap:4vh}',
  'h1{font-size:2.6rem;margin:0 0 1rem;color:#ffb347}',
  'p{font-size:1.3rem;line-height:1.5;margin:.4rem 0}',
  '.reason{font-size:1.6rem;font-weight:bold}',
  'code{background:#2a2a2a;padding:.1rem .4rem;border-radius:4px}',
  'pre{white-space:pre-wrap;word-break:break-word;background:#1e1e1e;padding:1rem;border-radius:6px;font-size:1rem;color:#ccc}',
  'section+section{border-top:1px solid #444;padding-top:4vh}',
  '.verdict{margin:0;padding-left:1.4rem;font-size:1.15rem;line-height:1.5}',
  '.verdict li{margin:.5rem 0}',
  '.verdict .fail b{color:#ff7b72}',
  '.verdict .warn b{color:#ffb347}',
].join('');

/** The whole document. Its CSP: nothing may load or run; only the inline style below applies. */
export function renderCannotStartPage(view: CannotStartView): string {
  return [
    '<!doctype html>',
    '<html lang="id"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'">`,
    `<title>${escapeHtml(CANNOT_START_STRINGS.id.title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head><body><main>',
    ...CANNOT_START_LANGUAGES.map((language) => section(language, view)),
    ...verdict(view.checks),
    `<pre>${escapeHtml(view.failure.detail)}</pre>`,
    '</main></body></html>',
  ].join('\n');
}

/** As a data: URL, so showing it needs neither the renderer build nor the app:// handler. */
export function cannotStartUrl(view: CannotStartView): string {
  return `data:text/html;charset=utf-8,${encodeURIComponent(renderCannotStartPage(view))}`;
}
