/**
 * At most `size` pieces of work at once; the rest wait their turn in order, and a piece that
 * fails does not stop the ones after it. Engines hold their requests to what the thing behind
 * them serves (WebLLM one at a time: its interrupt flag is engine-wide); the pipeline's lanes
 * share one for work the server engine's batcher does not carry (chat requests).
 */
export class Slots {
  private busy = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly size: number) {}

  async use<T>(work: () => Promise<T>): Promise<T> {
    if (this.busy >= this.size) await new Promise<void>((r) => this.waiting.push(r));
    else this.busy++;
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.busy--;
    }
  }
}
