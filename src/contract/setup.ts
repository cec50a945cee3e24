/**
 * First-run setup (issue 13): a machine with no credentials (and no explicit demo choice) shows the setup screen
 * instead of the attract screen. The installer imports credentials, tests the connection, picks and pings the
 * serial port, looks at a camera frame, sets a local installer PIN and finishes. The commands need no PIN while
 * `needed` is true and are refused with `forbidden` once setup is done. Results are codes the screen translates.
 */
import { z } from 'zod';
import { command } from './define.js';

export const SetupStep = z.enum(['credentials', 'connection', 'serial', 'camera', 'pin', 'done']);
export const ConnectionResult = z.enum(['untested', 'ok', 'unreachable', 'refused', 'not_commissioned', 'bad_reply']);
export const SerialPing = z.enum(['untested', 'ok', 'no_answer', 'denied']);
/** Why a credentials import was refused: unreadable file, not credentials, or the fields fail validation. */
export const CredentialsError = z.enum(['not_found', 'unreadable', 'invalid', 'write_failed']);
/** Why the camera gave no frame. */
export const CameraPreviewError = z.enum(['no_camera', 'capture_failed']);

export const SetupState = z.object({
  needed: z.boolean(),
  step: SetupStep,
  credentials: z.object({ present: z.boolean(), serialNumber: z.string().nullable(), serverUrl: z.string().nullable() }),
  connection: z.object({ result: ConnectionResult, at: z.number().nullable() }),
  serial: z.object({ path: z.string().nullable(), ping: SerialPing }),
  installerPin: z.boolean(),
});

const Empty = z.object({}).strict();
const UsbDrive = z.object({ dir: z.string(), label: z.string(), writable: z.boolean(), files: z.array(z.string()) });

export const ImportCredentialsRequest = z.union([
  /** `fileServerUrl`: the server for a blank machine whose configuration names none (the file carries no URL). */
  z.object({ file: z.string().min(1), fileServerUrl: z.string().min(1).optional() }).strict(),
  z.object({ serverUrl: z.string().min(1), serialNumber: z.string().min(1), apiKey: z.string().min(1) }).strict(),
]);

export const setupCommands = {
  'setup.status': command(Empty, SetupState),
  /** Mounted removable drives and the credential-looking *.json files on each (full paths). */
  'setup.usbCredentials': command(Empty, z.object({ drives: z.array(UsbDrive) })),
  /** Import from a file (a path from `setup.usbCredentials`) or typed fields. The API key is never echoed. */
  'setup.importCredentials': command(
    ImportCredentialsRequest,
    z.object({ ok: z.boolean(), serialNumber: z.string().nullable(), error: CredentialsError.nullable().default(null) }),
  ),
  /** A handshake against the configured server with the imported credentials. */
  'setup.testConnection': command(Empty, z.object({ result: ConnectionResult })),
  /** /dev/serial/by-id first, then /dev/tty{USB,ACM}*, then config `setup.extraSerialPorts`. */
  'setup.serialPorts': command(Empty, z.object({ ports: z.array(z.object({ path: z.string(), byId: z.boolean() })) })),
  'setup.pingSerial': command(z.object({ path: z.string().min(1) }).strict(), z.object({ ping: SerialPing })),
  'setup.cameraPreview': command(Empty, z.object({ jpegBase64: z.string().nullable(), error: CameraPreviewError.nullable() })),
  'setup.setInstallerPin': command(z.object({ pin: z.string().regex(/^\d{6}$/, 'the PIN is 6 digits') }).strict(), z.object({ ok: z.boolean() })),
  /** Persist the chosen serial port and restart as a real machine (with the simulator in tests: just mark done). */
  'setup.finish': command(Empty, z.object({ ok: z.boolean() })),
} as const;

export const setupEvents = {
  'setup.state': SetupState,
} as const;
