/**
 * Technician hardware tests for the maintenance screen. Each action is a short command sequence; a failure
 * (NAK, timeout, link down, unsupported) is reported as a result with the reason, because for a technician
 * "the gate did not answer" is the answer.
 */
import type { z } from 'zod';
import type { HardwareTestAction } from '../contract/hardware.js';
import type { MachineDriver } from './driver/machine-driver.js';
import type { MachineCommand } from './protocol/messages.js';

export type TestAction = z.infer<typeof HardwareTestAction>;

type Step = MachineCommand | { pauseMs: number };

function stepsFor(action: TestAction, pulseMs: number): Step[] {
  switch (action) {
    case 'ping': return [{ op: 'ping' }];
    case 'conveyor': return [{ op: 'conveyor', run: true }, { pauseMs: pulseMs }, { op: 'conveyor', run: false }];
    case 'gate': return [{ op: 'gate', bin: 'reject' }, { op: 'gate', bin: 'plastic' }];
    case 'door_lock': return [{ op: 'door', locked: true }];
    case 'door_unlock': return [{ op: 'door', locked: false }];
    case 'lights': return [{ op: 'lights', on: true }, { pauseMs: pulseMs }, { op: 'lights', on: false }];
    case 'buzzer': return [{ op: 'buzzer', ms: 200 }];
    case 'tare': return [{ op: 'tare' }];
  }
}

export async function runHardwareTest(driver: MachineDriver, action: TestAction, pulseMs: number) {
  let roundTripMs = 0;
  let commands = 0;
  for (const step of stepsFor(action, pulseMs)) {
    if ('pauseMs' in step) {
      await new Promise((resolve) => setTimeout(resolve, step.pauseMs));
      continue;
    }
    const started = performance.now();
    try {
      await driver.send(step);
    } catch (err) {
      return { action, ok: false, roundTripMs, detail: err instanceof Error ? err.message : String(err) };
    }
    roundTripMs += performance.now() - started;
    commands++;
  }
  return { action, ok: true, roundTripMs: Math.round(roundTripMs * 100) / 100, detail: `${commands} command${commands > 1 ? 's' : ''} acknowledged` };
}
