/**
 * One interface for every camera: a folder of stills (demo, tests) or a USB camera through ffmpeg. A source
 * either delivers a frame or fails with CameraUnavailableError in bounded time: callers never wait forever.
 */
export interface Frame {
  /** The encoded image as the camera gave it (JPEG from a USB camera; a folder may also hold PNG). */
  image: Buffer;
  mime: 'image/jpeg' | 'image/png';
  capturedAt: number;
  /** Where it came from, for logs and the technician screen (file name or device path). */
  origin: string;
}

export type CameraHealth = { ok: true } | { ok: false; detail: string };

export interface CameraSource {
  readonly kind: 'folder' | 'v4l2';
  /** A frame taken after this call began. Rejects with CameraUnavailableError within timeoutMs. */
  capture(timeoutMs: number): Promise<Frame>;
  /** Called when the source notices on its own that it went away or came back (e.g. ffmpeg exited). */
  onHealth(listener: (health: CameraHealth) => void): () => void;
  /**
   * Release the device while no session needs it (the server's camera_idle_timeout_sec). A sleeping camera
   * is not unavailable: it reports no health change. A capture wakes it. Sources with nothing to release omit these.
   */
  sleep?(): void;
  /** Open the device again (a session started); a no-op when awake. */
  wake?(): void;
  close(): Promise<void>;
}

export class CameraUnavailableError extends Error {}

export function mimeOf(bytes: Uint8Array): Frame['mime'] | null {
  if (bytes[0] === 0xff && bytes[1] === 0xd8) return 'image/jpeg';
  if (bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) return 'image/png';
  return null;
}
