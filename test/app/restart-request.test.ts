import { describe, expect, it } from 'vitest';
import { onRestartRequested } from '../../src/app/restart-request.js';
import { EventBus } from '../../src/core/event-bus.js';
import type { KioskEvents, SessionPhase } from '../../src/domain/events.js';

const command = (name: string) => ({ id: name, command: name, params: null, source: 'heartbeat' as const, at: new Date().toISOString() });
const phase = (p: SessionPhase) => ({ phase: p, sessionId: p === 'idle' ? null : 's' });

describe('server RESTART command', () => {
  it('restarts at once when no session is running', () => {
    const bus = new EventBus<KioskEvents>();
    const restarts: string[] = [];
    onRestartRequested({ bus }, (reason) => restarts.push(reason));
    bus.emit('server.command', command('GIT_PULL'));
    expect(restarts).toEqual([]);
    bus.emit('server.command', command('RESTART'));
    expect(restarts).toHaveLength(1);
  });

  it('waits for the recycler to finish, then restarts once', () => {
    const bus = new EventBus<KioskEvents>();
    const restarts: string[] = [];
    onRestartRequested({ bus }, (reason) => restarts.push(reason));
    bus.emit('session.phase', phase('active'));
    bus.emit('server.command', command('RESTART'));
    bus.emit('server.command', command('RESTART'));
    expect(restarts).toEqual([]);
    bus.emit('session.phase', phase('finished'));
    expect(restarts).toEqual([]);
    bus.emit('session.phase', phase('idle'));
    bus.emit('session.phase', phase('idle'));
    expect(restarts).toHaveLength(1);
  });

  it('stops listening when disposed', () => {
    const bus = new EventBus<KioskEvents>();
    const restarts: string[] = [];
    const off = onRestartRequested({ bus }, (reason) => restarts.push(reason));
    off();
    bus.emit('server.command', command('RESTART'));
    expect(restarts).toEqual([]);
    expect(bus.listenerCount('server.command')).toBe(0);
  });
});
