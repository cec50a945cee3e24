/**
 * What the GPU guard remembers between runs, kept with electron-store in Electron's userData directory (main
 * process only). A damaged file must never stop the kiosk: anything unreadable counts as "no history".
 */
import Store from 'electron-store';
import { z } from 'zod';

export const GpuStateSchema = z.object({
  /** Set after a GPU failure: start with hardware acceleration off until the version or setting changes. */
  softwareFallback: z.boolean(),
  reason: z.string().nullable(),
  /** Set while a GPU start is in flight; still set at the next start means the last one died before painting. */
  pendingGpuStart: z.boolean(),
  /** The configured mode and app version the fallback belongs to. */
  mode: z.enum(['auto', 'egl', 'off']).nullable(),
  appVersion: z.string().nullable(),
});

export type GpuState = z.infer<typeof GpuStateSchema>;

export const EMPTY_GPU_STATE: GpuState = {
  softwareFallback: false,
  reason: null,
  pendingGpuStart: false,
  mode: null,
  appVersion: null,
};

export interface GpuStateStore {
  read(): GpuState;
  write(state: GpuState): void;
}

export function openGpuStateStore(): GpuStateStore {
  const store = new Store<GpuState>({ name: 'gpu-state', defaults: EMPTY_GPU_STATE, clearInvalidConfig: true });
  return {
    read: () => GpuStateSchema.catch(EMPTY_GPU_STATE).parse(store.store),
    write: (state) => {
      store.store = state;
    },
  };
}
