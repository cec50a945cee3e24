import { copyFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CameraUnavailableError, type CameraHealth } from '../../../src/detection/camera/camera-source.js';
import { FolderCamera } from '../../../src/detection/camera/folder-camera.js';
import { demoImage, tempDir } from '../../helpers/detection.js';

describe('FolderCamera', () => {
  const dirs: Array<() => void> = [];
  afterEach(() => dirs.splice(0).forEach((remove) => remove()));
  const folder = () => {
    const t = tempDir();
    dirs.push(t.remove);
    return t.dir;
  };

  it('serves JPEG and PNG files in name order, round and round, and can be pointed at one', async () => {
    const dir = folder();
    copyFileSync(demoImage('dog.jpg'), path.join(dir, 'b.jpg'));
    copyFileSync(demoImage('coffee.png'), path.join(dir, 'a.png'));
    writeFileSync(path.join(dir, 'notes.txt'), 'ignored');
    const camera = new FolderCamera(dir);
    const seen = [];
    for (let i = 0; i < 3; i++) seen.push(await camera.capture(1000));
    expect(seen.map((f) => [f.origin, f.mime])).toEqual([
      ['a.png', 'image/png'],
      ['b.jpg', 'image/jpeg'],
      ['a.png', 'image/png'],
    ]);
    camera.select('a.png');
    expect((await camera.capture(1000)).origin).toBe('a.png');
  });

  it('reports unavailable for a missing or empty folder, and ok again once photos appear', async () => {
    const dir = folder();
    const camera = new FolderCamera(dir);
    const health: CameraHealth[] = [];
    camera.onHealth((h) => health.push(h));
    await expect(camera.capture(1000)).rejects.toBeInstanceOf(CameraUnavailableError);
    await expect(new FolderCamera(path.join(dir, 'missing')).capture(1000)).rejects.toThrow(/cannot read/);
    copyFileSync(demoImage('person.jpg'), path.join(dir, 'p.jpg'));
    await camera.capture(1000);
    expect(health.map((h) => h.ok)).toEqual([false, true]);
  });

  it('refuses a file that only pretends to be an image', async () => {
    const dir = folder();
    writeFileSync(path.join(dir, 'fake.jpg'), 'not a jpeg');
    await expect(new FolderCamera(dir).capture(1000)).rejects.toThrow(/not a JPEG or PNG/);
  });
});
