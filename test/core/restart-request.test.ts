import { describe, expect, it } from 'vitest';
import { onRestartRequested } from '../../src/app/restart-request.js';
import { KioskCore } from '../../src/core/kiosk-core.js';
import { idleState } from '../../src/session/session-flow.js';

const command = (name: string) => ({ id: name, command: name, params: null, source: 'heartbeat' as const, at: new Date().toISOString() });

describe('server RESTART command', () => {
  it('restarts at once when no session is running', () => {
    const core = new KioskCore();
    core.emit('session.state', idleState());
    const restarts: string[] = [];
    onRestartRequested(core, (reason) => restarts.push(reason));
    core.emit('server.command', command('GIT_PULL'));
    expect(restarts).toEqual([]);
    core.emit('server.command', command('RESTART'));
    expect(restarts).toHaveLength(1);
  });

  it('waits for the recycler to finish, then restarts once', () => {
    const core = new KioskCore();
    core.emit('session.state', { ...idleState(), phase: 'active', sessionId: 's', mode: 'guest' });
    const restarts: string[] = [];
    onRestartRequested(core, (reason) => restarts.push(reason));
    core.emit('server.command', command('RESTART'));
    core.emit('server.command', command('RESTART'));
    expect(restarts).toEqual([]);
    core.emit('session.state', { ...idleState(), phase: 'finished', sessionId: 's', mode: 'guest' });
    expect(restarts).toEqual([]);
    core.emit('session.state', idleState());
    core.emit('session.state', idleState());
    expect(restarts).toHaveLength(1);
  });
});
