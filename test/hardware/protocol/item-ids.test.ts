/**
 * Protocol 2 names items: SORT carries the host's item id, DROP names it back, WHERE asks about it. The
 * legacy dialect cannot, and says so through its capabilities.
 */
import { describe, expect, it } from 'vitest';
import { legacyHost } from '../../../src/hardware/protocol/legacy.js';
import {
  controllerBody,
  hostBody,
  parseControllerBody,
  parseHostBody,
  parseWhereabouts,
  PROTOCOL_VERSION,
  whereaboutsData,
} from '../../../src/hardware/protocol/messages.js';
import { rvm1Host } from '../../../src/hardware/protocol/rvm1.js';

const ID = '3f2b8c1e-4d5a-4e6f-9a0b-1c2d3e4f5a6b';

describe('rvm1 protocol 2: item ids', () => {
  it('announces protocol 2', () => {
    expect(PROTOCOL_VERSION).toBe(2);
  });

  it('sends SORT with the item id and reads it back', () => {
    const body = hostBody({ seq: 12, kind: 'command', command: { op: 'sort', bin: 'glass', item: ID } });
    expect(body).toBe(`12,SORT,glass,${ID}`);
    expect(parseHostBody(body)).toEqual({ ok: true, value: { seq: 12, kind: 'command', command: { op: 'sort', bin: 'glass', item: ID } } });
    expect(parseHostBody('13,SORT,reject')).toEqual({ ok: true, value: { seq: 13, kind: 'command', command: { op: 'sort', bin: 'reject', item: null } } });
  });

  it('refuses a SORT or WHERE whose item id is not a short token', () => {
    for (const body of ['1,SORT,plastic,a b', '1,SORT,plastic,', `1,SORT,plastic,${'x'.repeat(41)}`, '1,SORT,bin,abc', '1,SORT,plastic,abc,def', '1,WHERE', '1,WHERE,a/b', '1,WHERE,a,b']) {
      expect(parseHostBody(body).ok, body).toBe(false);
    }
  });

  it('names the item in DROP, and still reads a DROP that names none', () => {
    const named = controllerBody({ seq: 5, kind: 'event', event: { type: 'drop', bin: 'can', item: ID } });
    expect(named).toBe(`5,DROP,can,${ID}`);
    expect(parseControllerBody(named)).toEqual({ ok: true, value: { seq: 5, kind: 'event', event: { type: 'drop', bin: 'can', item: ID } } });
    expect(parseControllerBody('6,DROP,reject')).toEqual({ ok: true, value: { seq: 6, kind: 'event', event: { type: 'drop', bin: 'reject' } } });
    expect(parseControllerBody('7,DROP,can,bad id').ok).toBe(false);
  });

  it('asks WHERE and reads the three answers', () => {
    expect(hostBody({ seq: 3, kind: 'command', command: { op: 'where', item: ID } })).toBe(`3,WHERE,${ID}`);
    for (const where of [{ state: 'dropped', bin: 'plastic' }, { state: 'transit' }, { state: 'unknown' }] as const) {
      const body = controllerBody({ seq: 3, kind: 'reply', reply: { ok: true, data: { item: ID, ...whereaboutsData(where) } } });
      const parsed = parseControllerBody(body);
      expect(parsed.ok && parsed.value.kind === 'reply' && parsed.value.reply.ok ? parseWhereabouts(parsed.value.reply.data) : null).toEqual(where);
    }
    expect(parseWhereabouts({ state: 'dropped', bin: 'nowhere' })).toBeNull();
    expect(parseWhereabouts({ state: 'lost' })).toBeNull();
  });

  it('fits the longest item-bearing frames well inside a frame', () => {
    expect(rvm1Host.encodeCommand(65535, { op: 'sort', bin: 'plastic', item: ID })!.length).toBeLessThan(80);
  });

  it('only rvm1 can name items; the legacy firmware sorts without an id and cannot be asked', () => {
    expect(rvm1Host.capabilities.itemIds).toBe(true);
    expect(legacyHost.capabilities.itemIds).toBe(false);
    expect(legacyHost.encodeCommand(1, { op: 'sort', bin: 'glass', item: ID })?.toString()).toBe('SORT_VALID_ITEM\n');
    expect(legacyHost.encodeCommand(1, { op: 'where', item: ID })).toBeNull();
  });
});
