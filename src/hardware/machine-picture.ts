/**
 * What the host currently believes about the machine, built from controller events and STAT replies:
 * bin levels, door, temperature, weight, intake beam, active faults. Pure data; hardware-monitor.ts
 * publishes it.
 */
import type { BinLevels } from '../domain/events.js';
import type { Bin } from '../domain/ports.js';
import { BINS, type ControllerEvent } from './protocol/messages.js';


export interface Changes {
  bins: boolean;
  faults: boolean;
}

export class MachinePicture {
  readonly fill: Record<Bin, number> = { plastic: 0, can: 0, glass: 0, reject: 0 };
  fillUpdatedAt: number | null = null;
  door: { open: boolean; locked: boolean } | null = null;
  temperatureC: number | null = null;
  weightGrams: number | null = null;
  itemPresent = false;
  readonly faults = new Set<string>();

  apply(event: ControllerEvent, now = Date.now()): Changes {
    switch (event.type) {
      case 'fill':
        this.fill[event.bin] = event.percent;
        this.fillUpdatedAt = now;
        return { bins: true, faults: false };
      case 'fault': {
        const had = this.faults.has(event.code);
        if (event.active) this.faults.add(event.code);
        else this.faults.delete(event.code);
        return { bins: false, faults: had !== event.active };
      }
      case 'boot': {
        // A reset controller forgets its faults; it reports the ones that persist again.
        const had = this.faults.size > 0;
        this.faults.clear();
        return { bins: false, faults: had };
      }
      case 'door': this.door = { open: event.open, locked: event.locked }; break;
      case 'temperature': this.temperatureC = event.celsius; break;
      case 'weight': this.weightGrams = event.grams; break;
      case 'item': this.itemPresent = event.present; break;
      default: break;
    }
    return { bins: false, faults: false };
  }

  /** Fold in a STAT reply (`fill=12/40/3/0`, `faults=jam+sensor_stuck`, …); unknown or bad fields are ignored. */
  applyStatus(data: Record<string, string>, now = Date.now()): Changes {
    const changes: Changes = { bins: false, faults: false };
    const fills = data.fill?.split('/').map(Number);
    if (fills && fills.length === BINS.length && fills.every((n) => Number.isFinite(n) && n >= 0 && n <= 100)) {
      BINS.forEach((bin, i) => (this.fill[bin] = fills[i] as number));
      this.fillUpdatedAt = now;
      changes.bins = true;
    }
    if (data.faults !== undefined) {
      const next = data.faults === 'none' ? [] : data.faults.split('+').filter(Boolean);
      changes.faults = next.length !== this.faults.size || next.some((f) => !this.faults.has(f));
      this.faults.clear();
      for (const fault of next) this.faults.add(fault);
    }
    if (data.lock === 'locked' || data.lock === 'unlocked') this.door = { open: data.door === 'open', locked: data.lock === 'locked' };
    const temperature = Number(data.temp);
    if (data.temp !== undefined && Number.isFinite(temperature)) this.temperatureC = temperature;
    const weight = Number(data.wt);
    if (data.wt !== undefined && Number.isFinite(weight)) this.weightGrams = weight;
    if (data.item === '1' || data.item === '0') this.itemPresent = data.item === '1';
    return changes;
  }

  binLevels(thresholdPercent: number): BinLevels {
    const level = (bin: Bin) => ({ percent: this.fill[bin], full: bin !== 'reject' && this.fill[bin] >= thresholdPercent });
    return {
      thresholdPercent,
      bins: { plastic: level('plastic'), can: level('can'), glass: level('glass'), reject: level('reject') },
      updatedAt: this.fillUpdatedAt,
    };
  }
}
