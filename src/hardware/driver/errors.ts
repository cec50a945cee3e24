/** Why a machine command failed, as a code the caller can branch on plus a message a technician can read. */
export type MachineErrorCode = 'timeout' | 'nak' | 'link_down' | 'unsupported' | 'stopped';

export class MachineCommandError extends Error {
  constructor(
    readonly code: MachineErrorCode,
    message: string,
    /** The controller's NAK code (e.g. `BIN_FULL`) when code is `nak`. */
    readonly nakCode?: string,
  ) {
    super(message);
    this.name = 'MachineCommandError';
  }
}
