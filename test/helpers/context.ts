/** A KioskContext for tests of the composition layer (src/app): a fresh core, bus and status board. */
import type { KioskConfig } from '../../src/app/config-schema.js';
import type { KioskContext } from '../../src/app/context.js';
import { StatusBoard } from '../../src/app/status-board.js';
import { EventBus } from '../../src/core/event-bus.js';
import { KioskCore } from '../../src/core/kiosk-core.js';
import type { KioskEvents } from '../../src/domain/events.js';

export function testContext(config: KioskConfig, { core = new KioskCore(), demoMode = true, machineName = 'Test' }: { core?: KioskCore; demoMode?: boolean; machineName?: string } = {}): KioskContext {
  return { core, bus: new EventBus<KioskEvents>(), config, status: new StatusBoard(core, machineName, demoMode), demoMode };
}
