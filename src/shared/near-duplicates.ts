/**
 * What the generation pipeline asks before paying for a response: is this instruction a
 * near-duplicate of one the dataset already holds (or this run just admitted)? The
 * pipeline sees only this interface; the index behind it is the quality feature's
 * MinHash-LSH (quality/dedup/instruction-gate.ts), handed in by the worker that runs both.
 */
export interface InstructionGate {
  /**
   * True when `instruction` is new: it is then remembered, so a copy arriving a moment
   * later (another lane) is refused. False for a near-duplicate.
   */
  admit(instruction: string): boolean;
}
