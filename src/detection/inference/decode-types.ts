/** What every decoder reads: one output tensor's values and shape. */
export interface RawOutput {
  data: Float32Array;
  dims: readonly number[];
}

/** The model's output does not have the shape its manifest's decoder expects. */
export class DecodeError extends Error {}
