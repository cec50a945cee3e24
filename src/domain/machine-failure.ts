/**
 * How a failed machine command looks to the features above the hardware: the driver's MachineCommandError
 * (src/hardware/driver/errors.ts) carries `code` (`nak`, `timeout`, `link_down`, …) and, for a NAK, the
 * controller's `nakCode` (`BIN_FULL`, `JAM`, `BUSY`, …). Features may not import the hardware's classes, so
 * they read those two fields through this helper instead.
 */
export interface MachineFailure {
  code: string | null;
  nakCode: string | null;
  message: string;
}

export function machineFailureOf(err: unknown): MachineFailure {
  const fields = (err ?? {}) as { code?: unknown; nakCode?: unknown; message?: unknown };
  return {
    code: typeof fields.code === 'string' ? fields.code : null,
    nakCode: typeof fields.nakCode === 'string' ? fields.nakCode : null,
    message: typeof fields.message === 'string' ? fields.message : String(err),
  };
}

/** The controller refused a move because the target bin is full (its own sensor, whatever the host believed). */
export const isBinFullRefusal = (err: unknown): boolean => machineFailureOf(err).nakCode === 'BIN_FULL';
