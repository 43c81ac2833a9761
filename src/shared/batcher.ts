/**
 * Gathers work that arrives while earlier work is running and hands it over in batches: group
 * commit at the level of the application. Nothing waits for a batch to fill — an item that
 * arrives when a runner is free starts at once, alone — so a quiet server answers as fast as
 * without batching, and a busy one shares each transaction among everything that queued
 * meanwhile. At most `runners` batches run at once, each of at most `maxSize` items.
 *
 * If a batch fails, each of its items is tried on its own through `one`, so one bad item cannot
 * sink the others; its own error then reaches only its own caller.
 */
export class Batcher<T, R> {
  private readonly queue: { item: T; resolve: (r: R) => void; reject: (e: unknown) => void }[] = [];
  private running = 0;

  constructor(
    private readonly options: {
      /** runs a batch; answers one result per item, in order */
      many: (items: T[]) => Promise<R[]>;
      /** runs one item alone (after its batch failed) */
      one: (item: T) => Promise<R>;
      /** told why a batch failed, before its items are tried alone */
      batchFailed: (error: unknown, items: T[]) => void;
      maxSize: number;
      runners: number;
    },
  ) {}

  submit(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (this.running < this.options.runners) void this.run();
    });
  }

  private async run(): Promise<void> {
    this.running++;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, this.options.maxSize);
        let results: R[] | undefined;
        try {
          results = await this.options.many(batch.map((b) => b.item));
        } catch (error) {
          this.options.batchFailed(
            error,
            batch.map((b) => b.item),
          );
          results = undefined;
        }
        if (results && results.length === batch.length) {
          for (const [i, b] of batch.entries()) b.resolve(results[i]!);
          continue;
        }
        await Promise.all(batch.map((b) => this.options.one(b.item).then(b.resolve, b.reject)));
      }
    } finally {
      this.running--;
    }
  }
}
