/** Listener sets shared by the server link (time samples, commands, state changes). */
/** A tiny listener set; a throwing listener is reported and does not stop the others. */
export class Listeners<T> {
  private readonly set = new Set<(value: T) => void>();

  add(listener: (value: T) => void): () => void {
    this.set.add(listener);
    return () => this.set.delete(listener);
  }

  emit(value: T, onError?: (err: unknown) => void): void {
    for (const listener of this.set) {
      try {
        listener(value);
      } catch (err) {
        onError?.(err);
      }
    }
  }

  get size(): number {
    return this.set.size;
  }
}
