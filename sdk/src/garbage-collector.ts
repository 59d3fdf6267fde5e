/** Drops the rows that no view references any more, once per burst of view changes (a microtask later). */
export class GarbageCollector {
  private queued = false;

  /** @param collect does one collection */
  constructor(private readonly collect: () => void) {}

  schedule(): void {
    if (this.queued) return;
    this.queued = true;
    queueMicrotask(() => {
      this.queued = false;
      this.collect();
    });
  }
}
