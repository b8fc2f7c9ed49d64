/**
 * Exact-duplicate detection for imports without holding every instruction in memory: each
 * instruction becomes a 106-bit key (cyrb53 under two seeds), ~22 characters instead of the
 * text. Two different instructions share a key with a chance near 1 in 10^31 per pair.
 */
export function cyrb53(text: string, seed = 0): number {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

function keyOf(text: string): string {
  return `${cyrb53(text).toString(36)}.${cyrb53(text, 0x9e3779b9).toString(36)}`;
}

/** Instructions seen so far: the target dataset's (original and edited) and the import's own. */
export class InstructionSet {
  private readonly keys = new Set<string>();

  add(instruction: string): void {
    this.keys.add(keyOf(instruction));
  }

  /** Adds the instruction; false when it was there already. */
  addNew(instruction: string): boolean {
    const key = keyOf(instruction);
    if (this.keys.has(key)) return false;
    this.keys.add(key);
    return true;
  }
}
