import { describe, expect, it } from 'vitest';
import { Batcher } from '../../src/shared/batcher.js';

/** A promise and the function that settles it, to hold a batch in flight. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

describe('Batcher', () => {
  it('starts an item at once when a runner is free, and gathers what arrives meanwhile into the next batch, answering each in order', async () => {
    const batches: number[][] = [];
    const first = gate();
    const batcher = new Batcher<number, string>({
      many: async (items) => {
        batches.push(items);
        if (batches.length === 1) await first.opened;
        return items.map((n) => `r${n}`);
      },
      one: async (n) => `alone ${n}`,
      batchFailed: () => undefined,
      maxSize: 10,
      runners: 1,
    });
    const a = batcher.submit(1);
    const rest = [2, 3, 4].map((n) => batcher.submit(n));
    first.open();
    expect(await Promise.all([a, ...rest])).toEqual(['r1', 'r2', 'r3', 'r4']);
    expect(batches).toEqual([[1], [2, 3, 4]]);
  });

  it('never hands over more than maxSize, and runs at most `runners` batches at once', async () => {
    let running = 0;
    let most = 0;
    const sizes: number[] = [];
    const batcher = new Batcher<number, number>({
      many: async (items) => {
        running++;
        most = Math.max(most, running);
        sizes.push(items.length);
        await new Promise((r) => setTimeout(r, 5));
        running--;
        return items;
      },
      one: async (n) => n,
      batchFailed: () => undefined,
      maxSize: 3,
      runners: 2,
    });
    const all = Array.from({ length: 20 }, (_, i) => batcher.submit(i));
    expect(await Promise.all(all)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(Math.max(...sizes)).toBeLessThanOrEqual(3);
    expect(most).toBe(2);
  });

  it("when a batch fails, tries each of its items alone; one item's own failure reaches only its caller", async () => {
    const alone: number[] = [];
    const told: { message: string; items: number[] }[] = [];
    const hold = gate();
    const batcher = new Batcher<number, number>({
      many: async (items) => {
        if (items.length === 1 && items[0] === 0) {
          await hold.opened;
          return [0];
        }
        throw new Error('the batch failed');
      },
      one: async (n) => {
        alone.push(n);
        if (n === 2) throw new Error('two is bad');
        return n * 10;
      },
      batchFailed: (error, items) => told.push({ message: (error as Error).message, items }),
      maxSize: 10,
      runners: 1,
    });
    const zero = batcher.submit(0);
    const [one, two, three] = [1, 2, 3].map((n) => batcher.submit(n));
    hold.open();
    expect(await zero).toBe(0);
    expect(await one).toBe(10);
    await expect(two).rejects.toThrow('two is bad');
    expect(await three).toBe(30);
    expect(alone.sort()).toEqual([1, 2, 3]);
    // O5: the batch's own error is not swallowed on the way to the retries
    expect(told).toEqual([{ message: 'the batch failed', items: [1, 2, 3] }]);
  });
});
