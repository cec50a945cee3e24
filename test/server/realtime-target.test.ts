import { describe, expect, it } from 'vitest';
import { serverConfig } from '../../src/server/config.js';
import { realtimeTarget } from '../../src/server/realtime/realtime-target.js';

const rt = (over: Record<string, unknown> = {}) => serverConfig.parse({ realtime: over }).realtime;
const advertised = { host: 'myrvm.example.id', port: 443, scheme: 'wss' };

describe('realtime target', () => {
  it('polls when there is no app key: today\'s server never names one', () => {
    expect(realtimeTarget(rt(), advertised)).toEqual({ kind: 'poll', reason: 'no realtime server configured' });
    expect(realtimeTarget(rt({ appKey: 'k', enabled: false }), advertised)).toEqual({ kind: 'poll', reason: 'realtime disabled in configuration' });
  });

  it('takes host, port and scheme from the handshake unless configured', () => {
    expect(realtimeTarget(rt({ appKey: 'k' }), advertised)).toEqual({ kind: 'connect', appKey: 'k', host: 'myrvm.example.id', port: 443, scheme: 'wss' });
    expect(realtimeTarget(rt({ appKey: 'k', port: 8080, scheme: 'ws' }), advertised)).toEqual({ kind: 'connect', appKey: 'k', host: 'myrvm.example.id', port: 8080, scheme: 'ws' });
    expect(realtimeTarget(rt({ appKey: 'k' }), undefined)).toEqual({ kind: 'poll', reason: 'no realtime host known' });
    expect(realtimeTarget(rt({ appKey: 'k', host: 'reverb.lan', scheme: 'ws' }), undefined)).toEqual({ kind: 'connect', appKey: 'k', host: 'reverb.lan', port: 80, scheme: 'ws' });
  });
});
