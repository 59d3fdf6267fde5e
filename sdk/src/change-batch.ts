/**
 * Groups the changes of one synchronous step (a push applied, a reply applied, a mutation answered) so
 * that each view notifies its listeners once, after the step, with the final state. At the end of the
 * step, before notifying, `beforeFlush` drops the overlays whose effects the step brought in: listeners
 * never see the server's effects and the optimistic overlay of the same mutation go separately.
 */
export interface Notifiable {
  notifyHandles(): void;
}

export class ChangeBatch {
  private depth = 0;
  private readonly dirty = new Set<Notifiable>();

  /**
   * @param beforeFlush runs at the end of each outermost step, its own changes still batched
   * @param afterFlush  runs after the views were notified (row watchers read the final state)
   */
  constructor(private readonly beforeFlush: () => void = () => undefined, private readonly afterFlush: () => void = () => undefined) {}

  run<T>(step: () => T): T {
    this.depth++;
    try {
      return step();
    } finally {
      if (this.depth === 1) {
        try {
          this.beforeFlush();
        } finally {
          this.depth--;
        }
        this.flush();
      } else {
        this.depth--;
      }
    }
  }

  /** Holds back a notification while a step runs; false outside of one (notify now). */
  defer(target: Notifiable): boolean {
    if (this.depth === 0) return false;
    this.dirty.add(target);
    return true;
  }

  private flush(): void {
    const targets = [...this.dirty];
    this.dirty.clear();
    try {
      for (const target of targets) target.notifyHandles();
    } finally {
      this.afterFlush();
    }
  }
}
