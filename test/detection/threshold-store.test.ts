/** A technician's threshold survives a restart; a missing or damaged file means "none set", never a crash. */
import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ThresholdStore } from '../../src/detection/threshold-store.js';
import { setLogLevel } from '../../src/log/logger.js';
import { tempDir } from '../helpers/detection.js';

describe('ThresholdStore', () => {
  const tmps: Array<{ remove: () => void }> = [];
  afterEach(() => tmps.splice(0).forEach((t) => t.remove()));
  const fresh = () => {
    const t = tempDir();
    tmps.push(t);
    return t.dir;
  };

  it('keeps a value for the next run and forgets it when cleared', async () => {
    const dir = fresh();
    expect(await new ThresholdStore(dir).load()).toBeNull();
    await new ThresholdStore(dir).save(0.62);
    expect(await new ThresholdStore(dir).load()).toBe(0.62);
    await new ThresholdStore(dir).save(null);
    expect(await new ThresholdStore(dir).load()).toBeNull();
    expect(existsSync(new ThresholdStore(dir).file)).toBe(false);
  });

  it('a damaged file reads as none set', async () => {
    const dir = fresh();
    const store = new ThresholdStore(dir);
    mkdirSync(path.dirname(store.file), { recursive: true });
    setLogLevel('error');
    for (const text of ['{not json', JSON.stringify({ value: 3, at: 1 })]) {
      writeFileSync(store.file, text);
      expect(await store.load()).toBeNull();
    }
    setLogLevel('warn');
  });
});
