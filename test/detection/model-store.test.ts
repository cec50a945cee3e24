import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseManifest } from '../../src/detection/manifest.js';
import { BASE, ModelStore } from '../../src/detection/model-store.js';
import { shippedManifest, tempDir, tinyYoloManifest, tinyYoloModel } from '../helpers/detection.js';

describe('ModelStore', () => {
  const dirs: Array<() => void> = [];
  afterEach(() => dirs.splice(0).forEach((remove) => remove()));
  const store = () => {
    const t = tempDir();
    dirs.push(t.remove);
    return new ModelStore(path.join(t.dir, 'models'), shippedManifest);
  };

  it('starts on the base model, and treats a damaged or hostile active.json as "base"', async () => {
    const s = store();
    expect(await s.readActive()).toEqual({ current: BASE, previous: null });
    mkdirSync(s.root, { recursive: true });
    writeFileSync(path.join(s.root, 'active.json'), '{"current": ');
    expect(await s.readActive()).toEqual({ current: BASE, previous: null });
    writeFileSync(path.join(s.root, 'active.json'), '{"current": ".."}');
    expect((await s.readActive()).current).toBe(BASE);
    expect(s.manifestPath(BASE)).toBe(shippedManifest);
  });

  it('installs a download beside its manifest, activates it, and keeps only current and previous', async () => {
    const s = store();
    const refs: string[] = [];
    for (const version of ['2.0.0', '2.1.0', '2.2.0']) {
      const bytes = tinyYoloModel([{ cx: 1, cy: 1, w: 1, h: 1, scores: [1, 0, 0, 0] }], version);
      mkdirSync(s.downloadsDir, { recursive: true });
      const part = s.partFile('x'.repeat(64));
      writeFileSync(part, bytes);
      const ref = await s.install(parseManifest(tinyYoloManifest(bytes, { version })), part);
      await s.activate({ current: ref, previous: refs.at(-1) ?? BASE });
      refs.push(ref);
      expect(existsSync(part)).toBe(false);
      expect(JSON.parse(readFileSync(s.manifestPath(ref), 'utf8'))).toMatchObject({ version, file: 'model.onnx' });
    }
    expect(await s.readActive()).toEqual({ current: refs[2], previous: refs[1] });
    expect(existsSync(path.join(s.root, refs[0]!))).toBe(false);
    expect(existsSync(path.join(s.root, refs[1]!, 'model.onnx'))).toBe(true);
  });
});
