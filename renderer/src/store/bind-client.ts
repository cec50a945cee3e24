/** Core events → store actions. Lives outside React so events update state even with no component mounted. */
import type { StoreApi } from 'zustand/vanilla';
import type { KioskClient } from '../../../src/contract/index.js';
import type { KioskState } from './store.js';

export function bindClient(client: KioskClient, store: StoreApi<KioskState>): () => void {
  const s = () => store.getState();
  const offs = [
    client.on('system.status', (p) => s().setStatus(p)),
    client.on('system.language', (p) => s().setLanguage(p.language)),
    client.on('clock.state', (p) => s().setClock(p)),
    client.on('session.state', (p) => s().setSession(p)),
    client.on('hardware.state', (p) => s().setLink(p)),
    client.on('hardware.bins', (p) => s().setBins(p)),
    client.on('server.state', (p) => s().setServer(p)),
    client.on('outbox.state', (p) => s().setOutbox(p)),
    client.on('maintenance.state', (p) => s().setMaintenance(p)),
    client.on('monitoring.alerts', (p) => s().setOpenAlerts(p)),
    client.on('detection.state', (p) => s().setDetection(p)),
    client.on('detection.result', (p) => s().setLastResult(p)),
    client.on('backup.state', (p) => s().setBackup(p)),
    client.on('remote.state', (p) => s().setRemote(p)),
    client.on('hardware.intake', (p) => s().setItemPresent(p.present)),
    client.on('setup.state', (p) => s().setSetup(p)),
  ];
  client.ready();
  return () => offs.forEach((off) => off());
}
