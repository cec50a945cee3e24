/** The backup tab: progress from backup.state, back up now, copy to USB, and a restore with its second question. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PayloadOf, ReplyOf, RequestOf } from '../../../src/contract/index.js';
import { BackupPanel } from '../../../renderer/src/screens/maintenance/BackupPanel.js';
import { bindClient } from '../../../renderer/src/store/bind-client.js';
import { kioskStore } from '../../../renderer/src/store/store.js';
import { fakeCore, mount, resetStore, settle, tap, type Handlers, type Mounted } from './harness.js';

const NOW = Date.parse('2026-01-31T05:00:00Z'); // 12:00 WIB
type State = PayloadOf<'backup.state'>;

function backupState(overrides: Partial<State> = {}): State {
  return {
    phase: 'idle', percent: 0, operation: null, lastBackupAt: '2026-01-31T03:00:00Z', lastFile: 'rvm-backup-1.tar.gz', lastError: null,
    lastErrorMessage: null, lastUpload: 'unsupported', server: 'absent', ...overrides,
  };
}
const archive = (name: string, at: number) => ({ name, file: `/var/lib/rvm/backups/${name}`, bytes: 3_400_000, at });

function core(handlers: Handlers = {}) {
  return fakeCore({
    'backup.status': () => ({ ...backupState(), archives: [archive('rvm-backup-1.tar.gz', NOW - 7_200_000), archive('rvm-backup-0.tar.gz', NOW - 86_400_000)] }),
    ...handlers,
  });
}

describe('BackupPanel', () => {
  let view: Mounted | null = null;
  beforeEach(() => {
    resetStore();
    vi.useFakeTimers({ toFake: ['Date', 'setInterval', 'clearInterval'] });
    vi.setSystemTime(NOW);
  });
  afterEach(() => {
    view?.unmount();
    view = null;
    vi.useRealTimers();
  });

  it('keeps backup.state in the store through bind-client', () => {
    const fake = fakeCore();
    const unbind = bindClient(fake.client, kioskStore);
    fake.emit('backup.state', backupState({ phase: 'archiving', percent: 40, operation: 'backup' }));
    expect(kioskStore.getState().backup?.percent).toBe(40);
    unbind();
  });

  it('shows the last backup, its upload and the archives, read from backup.status', async () => {
    core();
    view = await mount(<BackupPanel />);
    await settle();
    const text = view.text('panel-backup');
    expect(text).toContain('tidak ada yang berjalan');
    expect(text).toContain('10:00'); // last backup, in the machine zone
    expect(text).toContain('rvm-backup-1.tar.gz');
    expect(view.text('backup-upload')).toBe('server tidak menyediakan penyimpanan cadangan · server: tidak disediakan');
    const rows = [...view.container.querySelectorAll('[data-testid="backup-archives"] tbody tr')];
    expect(rows.map((tr) => [...tr.querySelectorAll('td')].slice(1, 3).map((td) => td.textContent))).toEqual([
      ['rvm-backup-1.tar.gz', '3.4 MB'],
      ['rvm-backup-0.tar.gz', '3.4 MB'],
    ]);
  });

  it('moves the progress bar with backup.state and shows a failure as a translated code', async () => {
    const fake = core();
    const unbind = bindClient(fake.client, kioskStore);
    view = await mount(<BackupPanel />);
    await settle();
    fake.emit('backup.state', backupState({ phase: 'archiving', percent: 42.4, operation: 'backup' }));
    expect(view.text('backup-progress')).toBe('Pencadangan: membuat arsip42%');
    expect(view.container.querySelector('[data-testid="backup-progress"] progress')?.getAttribute('value')).toBe('42.4');
    expect((view.byTestId('backup-create') as HTMLButtonElement).disabled).toBe(true);
    fake.emit('backup.state', backupState({ phase: 'failed', percent: 60, operation: 'usb', lastError: 'backup_usb_failed', lastErrorMessage: 'EROFS: read-only file system' }));
    expect(view.container.querySelector('[data-testid="backup-progress"] progress')).toBeNull();
    expect(view.text('backup-error')).toBe('Cadangan tidak dapat ditulis ke drive USB');
    expect(view.text('panel-backup')).not.toContain('EROFS');
    expect(view.byTestId('panel-backup')?.dataset.tone).toBe('bad');
    unbind();
  });

  it('backs up now, says what was written and whether it was uploaded, and reads the list again', async () => {
    const fake = core({ 'backup.create': () => ({ file: 'rvm-backup-2.tar.gz', bytes: 2_000_000, sha256: 'b'.repeat(64), files: 12, upload: 'uploaded' }) });
    view = await mount(<BackupPanel />);
    await settle();
    await tap(view.byTestId('backup-create'));
    await settle();
    expect(fake.callsOf('backup.create')).toEqual([{}]);
    expect(view.text('backup-result')).toBe('Cadangan dibuat: rvm-backup-2.tar.gz (2.0 MB) · terkirim ke server');
    expect(fake.callsOf('backup.status')).toHaveLength(2);
  });

  it('copies to a writable USB drive only', async () => {
    const fake = core({
      'backup.usbTargets': () => ({ targets: [{ dir: '/media/ro', label: 'RO', writable: false }, { dir: '/media/usb1', label: 'USB1', writable: true }] }),
      'backup.toUsb': ({ dir }: RequestOf<'backup.toUsb'>) => ({ file: `${dir}/rvm-backup-1.tar.gz` }),
    });
    view = await mount(<BackupPanel />);
    await tap(view.byTestId('backup-usb'));
    await settle();
    expect(view.text('backup-usb-target-RO')).toBe('RO (hanya-baca)');
    expect((view.byTestId('backup-usb-target-RO') as HTMLButtonElement).disabled).toBe(true);
    await tap(view.byTestId('backup-usb-target-RO'));
    expect(fake.callsOf('backup.toUsb')).toEqual([]);
    await tap(view.byTestId('backup-usb-target-USB1'));
    await settle();
    expect(fake.callsOf('backup.toUsb')).toEqual([{ dir: '/media/usb1' }]);
    expect(view.text('backup-result')).toBe('Disalin ke USB: /media/usb1/rvm-backup-1.tar.gz');
    expect(view.byTestId('backup-usb-targets')).toBeNull();
  });

  it('says when no USB drive is plugged in', async () => {
    core({ 'backup.usbTargets': () => ({ targets: [] }) });
    view = await mount(<BackupPanel />);
    await tap(view.byTestId('backup-usb'));
    await settle();
    expect(view.text('backup-result')).toBe('Tidak ada drive USB yang terpasang');
  });

  it('asks before a restore and sends nothing when cancelled', async () => {
    const fake = core({ 'backup.restore': () => restored(true) });
    view = await mount(<BackupPanel />);
    await settle();
    await tap(view.byTestId('backup-restore-rvm-backup-0.tar.gz'));
    expect(view.text('backup-confirm')).toContain('Pulihkan cadangan rvm-backup-0.tar.gz?');
    await tap(view.byTestId('backup-confirm-no'));
    expect(view.byTestId('backup-confirm')).toBeNull();
    expect(fake.callsOf('backup.restore')).toEqual([]);
    await tap(view.byTestId('backup-restore-rvm-backup-0.tar.gz'));
    await tap(view.byTestId('backup-confirm-yes'));
    await settle();
    expect(fake.callsOf('backup.restore')).toEqual([{ file: '/var/lib/rvm/backups/rvm-backup-0.tar.gz', force: false }]);
    expect(view.text('backup-result')).toBe('Pemulihan disiapkan; kios dimulai ulang saat sedang tidak dipakai.');
  });

  it('asks a second time for another machine\'s archive and resends with force', async () => {
    const fake = core({
      'backup.restore': ({ force }: RequestOf<'backup.restore'>) => {
        if (!force) throw new Error('[backup_other_machine] archive of machine 7, this is 12');
        return restored(false);
      },
    });
    view = await mount(<BackupPanel />);
    await settle();
    await tap(view.byTestId('backup-restore-rvm-backup-1.tar.gz'));
    await tap(view.byTestId('backup-confirm-yes'));
    await settle();
    expect(view.text('backup-confirm-force')).toContain('milik mesin lain');
    await tap(view.byTestId('backup-confirm-force-yes'));
    await settle();
    const file = '/var/lib/rvm/backups/rvm-backup-1.tar.gz';
    expect(fake.callsOf('backup.restore')).toEqual([{ file, force: false }, { file, force: true }]);
    expect(view.text('backup-result')).toBe('Pemulihan disiapkan; diterapkan saat kios dimulai ulang berikutnya.');
  });

  it('stops at the second question when the technician declines, and translates other refusals', async () => {
    let reason = 'backup_other_machine';
    const fake = core({
      'backup.restore': () => {
        throw new Error(`[${reason}] detail`);
      },
    });
    view = await mount(<BackupPanel />);
    await settle();
    await tap(view.byTestId('backup-restore-rvm-backup-1.tar.gz'));
    await tap(view.byTestId('backup-confirm-yes'));
    await settle();
    await tap(view.byTestId('backup-confirm-force-no'));
    expect(fake.callsOf('backup.restore')).toHaveLength(1);
    reason = 'backup_damaged';
    await tap(view.byTestId('backup-restore-rvm-backup-1.tar.gz'));
    await tap(view.byTestId('backup-confirm-yes'));
    await settle();
    expect(view.byTestId('backup-confirm-force')).toBeNull();
    expect(view.text('backup-result')).toBe('Tidak ada jawaban dari inti kios (Berkas cadangan ini rusak dan tidak dapat dipulihkan)');
  });
});

function restored(restarting: boolean): ReplyOf<'backup.restore'> {
  return { staged: true, createdAt: '2026-01-30T03:00:00Z', machine: 'RVM-7', restarting };
}
