// One queue for every Office batch of the pane: button actions (生成打分表, 重新计算, 更新评分标准) and
// change events run one after the other, so an older result never overwrites a newer one and two
// batches never interleave their reads and writes.
export class BatchQueue {
  private tail: Promise<unknown> = Promise.resolve();
  private depth = 0;

  /** Runs `fn` after everything queued before it; its failure does not stop what comes after. */
  run<T>(fn: () => Promise<T>): Promise<T> {
    this.depth++;
    const next = this.tail.then(fn, fn);
    this.tail = next.then(
      () => this.depth--,
      () => this.depth--,
    );
    return next;
  }

  /** Batches queued or running. */
  get size(): number {
    return this.depth;
  }

  /** Resolves when everything queued so far has finished. */
  idle(): Promise<void> {
    return this.tail.then(() => undefined);
  }
}
