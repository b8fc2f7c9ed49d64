/**
 * The language of an instruction, as an ISO 639-1 code ('' when it cannot be told). ELD
 * (n-gram scores over 60 languages) answers in ~60 µs where tinyld took ~500-800 µs: this
 * runs on every stored and imported record, and it was most of an import's time.
 */
import { eld } from 'eld/small';

/** The first 300 characters decide the language as well as the whole text, at a fraction of the cost. */
const PREFIX = 300;

export function detectLanguage(text: string): string {
  const result = eld.detect(text.slice(0, PREFIX));
  if (result.isReliable()) return result.language;
  // ELD guesses even for "ok" ('pl') or "Hi" ('ca'); an unsure guess stands only for a
  // text of two words or more ("What is 2 + 2?" is English).
  return (text.slice(0, PREFIX).match(/\p{L}{2,}/gu)?.length ?? 0) >= 2 ? result.language : '';
}
