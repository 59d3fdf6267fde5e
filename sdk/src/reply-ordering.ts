/**
 * Repairs the order of replies and pushes when they travel separately (HTTP replies next to Centrifugo
 * publications): numbers the diffs received, remembers which requests are in flight since which diff,
 * keeps the row diffs received meanwhile (to re-apply them to the rows of a reply) and the view_diffs
 * that overtook the subscribe reply naming their hash.
 */
import type { TableDiff, ViewDiff } from './protocol.js';

export interface NumberedViewDiff {
  seq: number;
  diff: ViewDiff;
}

const MAX_EARLY_DIFFS = 256;

export class ReplyOrdering {
  /** counts received diffs, to tell those that arrived after a request was sent */
  private pushSeq = 0;
  private readonly requestsSince: number[] = [];
  /** table_diffs received while a request is in flight (unordered transports only) */
  private readonly rowLog: Array<{ seq: number; diff: TableDiff }> = [];
  /** recent view_diffs of subscriptions not known (yet) */
  private readonly earlyDiffs: NumberedViewDiff[] = [];

  constructor(private readonly ordered: () => boolean) {}

  /** Numbers a received table_diff, logging it while a request is in flight. */
  receivedTableDiff(diff: TableDiff): number {
    this.pushSeq++;
    if (this.requestsSince.length > 0 && !this.ordered()) this.rowLog.push({ seq: this.pushSeq, diff });
    return this.pushSeq;
  }

  /** Numbers a received view_diff. */
  receivedViewDiff(): number {
    return ++this.pushSeq;
  }

  /** Numbers a received reply that requests sent after it must be told apart from (a mutation's). */
  receivedReply(): number {
    return ++this.pushSeq;
  }

  /** A request is sent: returns the number of diffs received before it. */
  beginRequest(): number {
    this.requestsSince.push(this.pushSeq);
    return this.pushSeq;
  }

  endRequest(since: number): void {
    this.requestsSince.splice(this.requestsSince.indexOf(since), 1);
    const oldest = this.requestsSince.length === 0 ? Infinity : Math.min(...this.requestsSince);
    while (this.rowLog.length > 0 && this.rowLog[0].seq <= oldest) this.rowLog.shift();
  }

  /**
   * The last diff a reply to a request sent after diff `since` is known to include: on an ordered
   * transport every diff received before the reply, otherwise only those received before the request.
   */
  includedBy(since: number): number {
    return this.ordered() ? this.pushSeq : since;
  }

  /** The row diffs received after diff number `since` that touch one of `rowKeys`, in order. */
  rowDiffsSince(since: number, rowKeys: ReadonlySet<string>): TableDiff[] {
    return this.rowLog
      .filter(({ seq, diff }) => seq > since && rowKeys.has(`${diff.table}\u0000${String(diff.id)}`))
      .map(({ diff }) => diff);
  }

  holdEarly(item: NumberedViewDiff): void {
    this.earlyDiffs.push(item);
    if (this.earlyDiffs.length > MAX_EARLY_DIFFS) this.earlyDiffs.shift();
  }

  /** Takes the held view_diffs of `hash`. */
  takeEarly(hash: string): NumberedViewDiff[] {
    const taken = this.earlyDiffs.filter(({ diff }) => diff.params_hash === hash);
    if (taken.length > 0) {
      this.earlyDiffs.splice(0, this.earlyDiffs.length, ...this.earlyDiffs.filter(({ diff }) => diff.params_hash !== hash));
    }
    return taken;
  }

  forgetEarly(): void {
    this.earlyDiffs.length = 0;
  }
}
