/**
 * One request at a time, in the order asked: what an engine needs when the thing behind it
 * serves one sequence (WebLLM, whose interrupt flag is engine-wide; llama.cpp with one slot).
 * A call that fails does not stop the calls queued after it.
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(work: () => Promise<T>): Promise<T> {
    const result = this.tail.then(work);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
