/** Realtime over a real Pusher-protocol WebSocket on loopback: subscribe, events, drop and reconnect, fallback. */
import { afterEach, describe, expect, it } from 'vitest';
import type { LinkSnapshot } from '../../src/server/link-state.js';
import type { ServerCommand, ServerLink } from '../../src/server/server-link.js';
import { captureLogs, cleanupServerSims, makeLink, startSim } from '../helpers/server-sim.js';
import { eventually } from '../helpers/eventually.js';

afterEach(cleanupServerSims);

function modes(link: ServerLink): Array<LinkSnapshot['realtime']> {
  const seen: Array<LinkSnapshot['realtime']> = [];
  link.state.onChange((s) => {
    if (seen.at(-1) !== s.realtime) seen.push(s.realtime);
  });
  return seen;
}

describe('realtime channel rvm.<uuid>', () => {
  it('subscribes after the handshake and turns hardware.command into one app command', async () => {
    const sim = await startSim();
    const { link, bus } = makeLink(sim);
    const commands: ServerCommand[] = [];
    bus.on('server.command', (c) => commands.push(c));
    link.start();
    await eventually(() => Boolean(link.state.get().realtime === 'realtime'), { what: 'link.state.get().realtime === \'realtime\'' });
    expect(sim.pusher?.subscribers(`rvm.${sim.machineUuid}`)).toBe(1);
    const payload = { command: 'open_door', params: { seconds: 5 }, request_id: 'cmd_1', timestamp: '2026-01-31T10:00:00+07:00' };
    sim.publish('hardware.command', payload);
    sim.publish('hardware.command', payload);
    await eventually(() => Boolean(commands.length === 1), { what: 'commands.length === 1' });
    sim.publish('hardware.command', { ...payload, request_id: 'cmd_2', command: 'test_led' });
    await eventually(() => Boolean(commands.length === 2), { what: 'commands.length === 2' });
    expect(commands.map((c) => [c.command, c.source, c.id])).toEqual([['open_door', 'realtime', 'cmd_1'], ['test_led', 'realtime', 'cmd_2']]);
    expect(commands[0]?.params).toEqual({ seconds: 5 });
  });

  it('falls back to polling when the socket drops and returns to realtime after reconnecting', async () => {
    const sim = await startSim();
    const { link, bus } = makeLink(sim);
    const seen = modes(link);
    const notices: string[] = [];
    bus.on('server.notice', (n) => notices.push(n.event));
    link.start();
    await eventually(() => Boolean(link.state.get().realtime === 'realtime'), { what: 'link.state.get().realtime === \'realtime\'' });
    sim.pusher!.dropAll();
    await eventually(() => Boolean(seen.length >= 3 && link.state.get().realtime === 'realtime'), { what: 'seen.length >= 3 && link.state.get().realtime === \'realtime\'' });
    expect(seen).toEqual(['polling', 'realtime', 'polling', 'realtime']);
    sim.publish('item.processed', { session_id: 's', accepted: true, item_type: 'pet', points_awarded: 10, rejection_reason: null });
    await eventually(() => Boolean(notices.includes('item.processed')), { what: 'notices.includes(\'item.processed\')' });
  });

  it('backs off while the realtime server stays down, then reconnects', async () => {
    const sim = await startSim();
    const logs = captureLogs();
    const { link } = makeLink(sim);
    link.start();
    await eventually(() => Boolean(link.state.get().realtime === 'realtime'), { what: 'link.state.get().realtime === \'realtime\'' });
    sim.pusher!.setRefusing(true);
    const retries = () => logs.lines.filter((l) => l.message === 'realtime unavailable, polling meanwhile').map((l) => l.fields as { retryInMs: number; attempt: number });
    await eventually(() => Boolean(retries().length >= 3), { what: 'retries().length >= 3' });
    expect(link.state.get().realtime).toBe('polling');
    expect(link.state.get().realtimeDetail).toMatch(/retrying/);
    const r = retries();
    expect(r.slice(0, 3).map((x) => x.attempt)).toEqual([1, 2, 3]);
    // Jitter pinned at its top (makeLink): the schedule's ceilings 50, 100, 200 ms (first delay 50 ms, factor 2).
    expect(r.slice(0, 3).map((x) => x.retryInMs)).toEqual([50, 100, 200]);
    sim.pusher!.setRefusing(false);
    await eventually(() => Boolean(link.state.get().realtime === 'realtime'), { what: 'link.state.get().realtime === \'realtime\'' });
  });

  it('drops a malformed realtime event with a log line and keeps listening', async () => {
    const sim = await startSim();
    const logs = captureLogs();
    const { link } = makeLink(sim);
    const users: string[] = [];
    link.session.onAuthorized((u) => users.push(u.userName));
    link.start();
    await eventually(() => Boolean(link.state.get().realtime === 'realtime'), { what: 'link.state.get().realtime === \'realtime\'' });
    sim.publish('session.authorized', { session_id: 42 });
    sim.publish('session.authorized', { session_id: 'member_1', user: { id: 7, name: 'Budi', balance: 0 } });
    await eventually(() => Boolean(users.length === 1), { what: 'users.length === 1' });
    expect(users).toEqual(['Budi']);
    expect(logs.lines.some((l) => l.level === 'error' && l.message === 'malformed realtime event dropped')).toBe(true);
  });

  it('polls kiosk config when no realtime server is configured, and says so', async () => {
    const sim = await startSim({ realtime: false });
    const { link } = makeLink(sim, { configPollMs: 1_000, realtime: { appKey: '' } });
    link.start();
    await eventually(() => Boolean(link.state.get().link === 'online'), { what: 'link.state.get().link === \'online\'' });
    expect(link.state.get()).toMatchObject({ realtime: 'polling', realtimeDetail: 'no realtime server configured' });
    await eventually(() => Boolean(sim.state.hitsOn('/api/v1/kiosk/config') >= 1), { what: 'sim.state.hitsOn(\'/api/v1/kiosk/config\') >= 1' });
  });

  it('does not poll kiosk config while realtime is up', async () => {
    const sim = await startSim();
    const { link } = makeLink(sim, { configPollMs: 1_000 });
    link.start();
    await eventually(() => Boolean(link.state.get().realtime === 'realtime'), { what: 'link.state.get().realtime === \'realtime\'' });
    const before = sim.state.hitsOn('/api/v1/kiosk/config');
    // A poll that does not happen has no event to wait on: let more than one poll period (configPollMs) pass.
    await new Promise((r) => setTimeout(r, 1_300));
    expect(sim.state.hitsOn('/api/v1/kiosk/config')).toBe(before);
  });
});
