/** Item detection: camera source + ONNX detector + decision. (Stub until the detection work lands.) */
import type { ItemClassifier, MachinePort } from '../session/ports.js';
import type { KioskContext } from './context.js';

export async function setupDetection(_ctx: KioskContext, _machine: MachinePort): Promise<ItemClassifier> {
  return { classify: async () => ({ accepted: false, reason: 'detector_error', confidence: 0, detections: [] }) };
}
