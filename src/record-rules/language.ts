/**
 * The language of an instruction, as an ISO 639-1 code ('' when it cannot be told). ELD
 * (n-gram scores over 60 languages) answers in ~60 µs where tinyld took ~500-800 µs: this
 * runs on every stored and imported record, and it was most of an import's time.
 *
 * ELD's n-gram data is most of the generation worker's code, so it is its own chunk, fetched
 * the first time a language is asked for (the first pair, an import), not when the worker
 * starts: a first Connect would otherwise wait for it.
 */

export type DetectLanguage = (text: string) => string;

/** The first 300 characters decide the language as well as the whole text, at a fraction of the cost. */
const PREFIX = 300;

let loading: Promise<DetectLanguage> | undefined;

/** The detector, once ELD's data has loaded (once per worker; later calls share it). */
export function loadDetectLanguage(): Promise<DetectLanguage> {
  if (!loading) {
    loading = import('eld/small').then(({ eld }) => (text: string) => {
      const prefix = text.slice(0, PREFIX);
      const result = eld.detect(prefix);
      if (result.isReliable()) return result.language;
      // ELD guesses even for "ok" ('pl') or "Hi" ('ca'); an unsure guess stands only for a
      // text of two words or more ("What is 2 + 2?" is English).
      return (prefix.match(/\p{L}{2,}/gu)?.length ?? 0) >= 2 ? result.language : '';
    });
    // A failed fetch (offline before the chunk was cached) is tried again on the next call.
    loading.catch(() => (loading = undefined));
  }
  return loading;
}
