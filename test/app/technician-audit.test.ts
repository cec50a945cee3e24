/**
 * Which finished commands become audit entries: every technician action of the issue-14 features is recorded
 * with who, what and the result, and a name for it exists in both languages.
 */
import { describe, expect, it } from 'vitest';
import type { CommandDone } from '../../src/core/kiosk-core.js';
import { auditOfCommand } from '../../src/app/technician-audit.js';
import { tables } from '../../renderer/src/i18n/tables.js';

const who = { technicianName: 'Sari', assignmentId: 7 };
const ui = { connectionId: 'ws:1', trusted: false };

function done(name: string, request: unknown, result: unknown): CommandDone {
  return { name, request, context: ui, ok: true, result } as CommandDone;
}

describe('technician audit of commands', () => {
  it.each([
    ['detection.setThreshold', { value: 0.55 }, { server: 'saved' }, 'threshold_set', { value: 0.55, server: 'saved' }],
    ['clock.syncTimezone', {}, { outcome: 'too_soon' }, 'timezone_sync', { outcome: 'too_soon' }],
    ['outbox.hold', { on: true, reason: 'servis' }, {}, 'outbox_hold', { on: true, reason: 'servis' }],
    ['backup.create', {}, {}, 'backup_create', {}],
    ['backup.toUsb', { dir: '/media/usb' }, {}, 'backup_to_usb', { dir: '/media/usb' }],
    ['backup.restore', { file: 'b.tar.gz', force: true }, {}, 'backup_restore', { file: 'b.tar.gz', force: true }],
    ['remote.start', { minutes: 30 }, {}, 'remote_start', { minutes: 30 }],
    ['remote.stop', {}, {}, 'remote_stop', {}],
  ])('records %s as %s with its detail', (name, request, result, action, detail) => {
    expect(auditOfCommand(done(name, request, result), who)).toEqual({ ...who, action, detail, result: 'ok' });
    for (const language of ['id', 'en'] as const) expect(tables[language][`maintenance.audit.action.${action}`]).toBeTruthy();
  });

  it('records nothing for an in-process call or when nobody is signed in', () => {
    expect(auditOfCommand({ ...done('remote.stop', {}, {}), context: { connectionId: null, trusted: true } }, who)).toBeNull();
    expect(auditOfCommand(done('remote.stop', {}, {}), null)).toBeNull();
  });
});
