/**
 * FNV-1a over UTF-16 units: the one cheap string hash the app uses (the index's words, text
 * hashes and key columns, seeded draws, near-duplicate shingles, repetition and the map's
 * features). Stored values depend on it (saved indexes, signatures), so it never changes.
 */
export const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** One FNV-1a step: `h` mixed with one UTF-16 unit (or any 32-bit number). */
export function fnvStep(h: number, unit: number): number {
  return Math.imul(h ^ unit, FNV_PRIME);
}

/**
 * FNV-1a steps over a text's UTF-16 units from `h` (FNV_OFFSET to start). A plain function:
 * a closure keeping `h` in its context stored it to memory at every character.
 */
export function fnvMix(h: number, s: string): number {
  for (let i = 0; i < s.length; i++) h = fnvStep(h, s.charCodeAt(i));
  return h;
}
