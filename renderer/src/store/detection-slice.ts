import type { StateCreator } from 'zustand';
import type { PayloadOf } from '../../../src/contract/index.js';

export interface DetectionSlice {
  detection: PayloadOf<'detection.state'> | null;
  lastResult: PayloadOf<'detection.result'> | null;
  setDetection(detection: PayloadOf<'detection.state'>): void;
  setLastResult(result: PayloadOf<'detection.result'>): void;
}

export const createDetectionSlice: StateCreator<DetectionSlice, [], [], DetectionSlice> = (set) => ({
  detection: null,
  lastResult: null,
  setDetection: (detection) => set({ detection }),
  setLastResult: (lastResult) => set({ lastResult }),
});
