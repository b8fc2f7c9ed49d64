/**
 * Synthetic Magpie-like instructions for the dedup benchmark, deterministic (seeded):
 * common openers ("How do I", "Write a", ...), then words drawn Zipf-like from common
 * English words and a large invented vocabulary, 40-300 characters; ~8% exact copies and
 * ~6% near copies (a word or two changed), the mix raw Magpie output has.
 */
const OPENERS = [
  'How do I',
  'Can you explain',
  'Write a',
  'What is the best way to',
  "I'm trying to",
  'Please help me',
  'What are the differences between',
  'Give me a plan to',
  'I need advice on',
  'Summarise',
  'Solve',
  'Create a',
];
const COMMON =
  'the a of to and in for with my is on that this how what can about an be it as your from at by or more some best way when which should would like make use good time new first need people'.split(
    ' ',
  );
const SYLLABLES =
  'ka lo mi ne ru sa te vo pi da fe gu ran tel mor bin sul chi qua zen ost pra lid wen har cos fy mu bre dol gan sir pel tro vim nu ja ho lek'.split(
    ' ',
  );

function rng(seed: number) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}

export function syntheticInstructions(count: number, seed = 42): string[] {
  const rand = rng(seed);
  const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  const vocabulary = Array.from({ length: 20_000 }, () =>
    Array.from({ length: 2 + Math.floor(rand() * 2) }, () => pick(SYLLABLES)).join(''),
  );
  // Zipf-like: low ranks far more often, as in real text.
  const word = () =>
    rand() < 0.45
      ? pick(COMMON)
      : (vocabulary[Math.floor(vocabulary.length * rand() ** 3)] as string);
  const sentence = () =>
    `${pick(OPENERS)} ${Array.from({ length: 6 + Math.floor(rand() * 40) }, word).join(' ')}?`;
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const r = rand();
    if (out.length > 100 && r < 0.08) {
      out.push(pick(out));
    } else if (out.length > 100 && r < 0.14) {
      const words = pick(out).split(' ');
      const at = 1 + Math.floor(rand() * (words.length - 1));
      words[at] = word();
      out.push(words.join(' '));
    } else {
      out.push(sentence());
    }
  }
  return out;
}
