/**
 * The USB drive finder: mount points under the roots from the mount table (octal escapes decoded), not other
 * mounts; the configured extra folders while they exist; and whether a folder lies inside an offered drive.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { isInsideMount, listUsbMounts } from '../../src/storage/usb-mounts.js';
import { makeTempDir } from '../helpers/outbox.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await makeTempDir('rvm-usb-')));
afterEach(() => cleanup());

it('lists the mounts under the roots from the table, and the extra folders that exist', async () => {
  const media = path.join(dir, 'media');
  await mkdir(path.join(media, 'kiosk', 'MY STICK'), { recursive: true });
  const table = [
    '/dev/mmcblk0p1 / ext4 rw,relatime 0 0',
    `/dev/sda1 ${media}/kiosk/MY\\040STICK vfat rw,nosuid,nodev 0 0`,
    `/dev/sdb1 ${media}/kiosk/GONE vfat rw 0 0`,
    `tmpfs ${dir}/elsewhere tmpfs rw 0 0`,
  ].join('\n');
  const extra = path.join(dir, 'extra');
  await mkdir(extra);
  const mounts = await listUsbMounts({ roots: [media], extra: [extra, path.join(dir, 'missing')], mounts: async () => table });
  expect(mounts).toEqual([
    { dir: extra, label: 'extra', writable: true },
    { dir: `${media}/kiosk/GONE`, label: 'GONE', writable: false },
    { dir: `${media}/kiosk/MY STICK`, label: 'MY STICK', writable: true },
  ]);
  expect(isInsideMount(`${media}/kiosk/MY STICK/sub`, mounts)).toBe(true);
  expect(isInsideMount(`${media}/kiosk/MY STICK/../../etc`, mounts)).toBe(false);
  expect(isInsideMount(`${media}/kiosk/MY STICKER`, mounts)).toBe(false);
});

it('lists nothing when the mount table cannot be read', async () => {
  expect(await listUsbMounts({ mounts: () => Promise.reject(new Error('no /proc')) })).toEqual([]);
});
