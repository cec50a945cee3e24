/** Builds the driver from the hardware config section: which dialect, which port, which timings. */
import type { HardwareConfig } from './config.js';
import { MachineDriver } from './driver/machine-driver.js';
import { hostDialect } from './protocol/index.js';
import type { LinkOpener, TransportKind } from './transport/link.js';
import { resolvePortPath, type ListPorts } from './transport/port-resolver.js';
import { openSerialLink } from './transport/serial-link.js';

export function createDriver(config: HardwareConfig, open: LinkOpener, transport: TransportKind): MachineDriver {
  return new MachineDriver({
    dialect: hostDialect(config.dialect),
    open,
    transport,
    heartbeatMs: config.heartbeatMs,
    deadAfterMs: config.deadAfterMs,
    lostAfterMs: config.lostAfterMs,
    // No jitter: one controller on the other end, no fleet to spread; the doubling reads plainly in the log.
    backoff: { firstMs: config.reconnect.initialMs, factor: 2, maxMs: config.reconnect.maxMs, jitter: false },
    retries: config.commandRetries,
    queueWaitMs: config.queueWaitMs,
    timeoutsMs: config.commandTimeoutsMs,
  });
}

/** Opens the configured port, looking it up again on every attempt (a replugged adapter may move). */
export function serialOpener(config: HardwareConfig, list?: ListPorts): LinkOpener {
  return async () => openSerialLink(await resolvePortPath(config.serial, list), config.serial);
}
