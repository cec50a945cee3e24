/** What the server link pulls from monitoring: open alerts followed from transitions, readings drained. */
import { describe, expect, it } from 'vitest';
import { EventBus } from '../../../src/core/event-bus.js';
import type { KioskEvents } from '../../../src/domain/events.js';
import { ServerFeed } from '../../../src/monitoring/channels/server-feed.js';
import { makeAlert, readings, transition } from './fixtures/alerts.js';

describe('server feed', () => {
  it('keeps raised and acknowledged alerts open, most severe first, and forgets resolved ones', () => {
    const bus = new EventBus<KioskEvents>();
    const feed = new ServerFeed(bus);
    const bin = makeAlert('bin');
    const heat = makeAlert('heat', { rule: 'temperature_high', sensor: 'temperature', severity: 'critical', raisedAt: Date.UTC(2026, 0, 31, 4) });
    bus.emit('monitoring.alert', transition(bin, 'raised'));
    bus.emit('monitoring.alert', transition(heat, 'raised'));
    bus.emit('monitoring.alert', transition(bin, 'acknowledged', 3));
    expect(feed.openAlerts().map((a) => `${a.id}:${a.status}`)).toEqual(['heat:raised', 'bin:acknowledged']);
    bus.emit('monitoring.alert', transition(heat, 'resolved', 10));
    expect(feed.openAlerts().map((a) => a.id)).toEqual(['bin']);
    feed.stop();
    expect(bus.listenerCount('monitoring.alert')).toBe(0);
  });

  it('hands out the readings since the last call, bounded, oldest dropped first', () => {
    const bus = new EventBus<KioskEvents>();
    const feed = new ServerFeed(bus, 3);
    for (let n = 1; n <= 5; n += 1) bus.emit('monitoring.readings', readings(n));
    expect(feed.drainReadings().map((r) => r.value)).toEqual([3, 4, 5]);
    expect(feed.dropped).toBe(2);
    expect(feed.drainReadings()).toEqual([]);
  });
});
