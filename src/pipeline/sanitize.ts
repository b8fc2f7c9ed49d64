/**
 * The Magpie authors' instruction sanitiser, ported from magpie-align/magpie
 * (`instruction_post_process`, `remove_prefix`, `generate_variants` in their str_utils).
 *
 * The authors ran it only for model paths containing "llama-3" or "gemma-2" and returned every
 * other model's text untouched. The two branches are the same rules except that the Llama-3 one
 * also cuts at "# Step 1" markers, so this ports the Llama-3 branch and applies it to all models.
 * `find_mcq_end` is not ported: its only caller is commented out in their code.
 *
 * Deviations from their code, each where a literal port would not do what the code plainly meant:
 * - Answer markers are matched as written. Their pattern appended "s?:" to every marker, so
 *   "Answer:" only matched "Answer::" and "Here are some" only "Here are some:".
 * - A marker at the very start of the text does not cut (it would leave nothing); the text goes
 *   on to the later rules instead.
 * - Marker and step positions are found on the text they cut. Theirs were found before a second
 *   prefix strip, so a stripped prefix shifted the cut.
 * - The "<b>" rule keeps the first line without <b> tags; theirs computed that and dropped it.
 * - Their "remove '**' if the text's '**' is at index 1" test is read as "the text opens with a
 *   bold marker" (index 0 or 1).
 */

/** Labels a model writes before its question; each also as "Label:", "**Label**", "## Label:". */
const PREFIX_WORDS = [
  'Task',
  'Prompt',
  'Original Prompt',
  'Question',
  'The Problem',
  'Problem',
  'Scenario',
  'The senario', // sic, as in their list
  'Situation',
  'The situation',
  'Context',
  'Challenge',
  'Query',
  'Request',
  'Instructions',
  'Instruction',
  'Descriptions',
  'Description',
];

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function labelVariants(word: string): string[] {
  const clean = word.replace(/^[#* ]+/, '').replace(/:+$/, '');
  return [`${clean}:`, `**${clean}**`, `## ${clean}:`];
}

const LABEL = new RegExp(
  '^(' +
    [
      ...PREFIX_WORDS.flatMap(labelVariants).map(escapeRegExp),
      'Question \\p{Nd}+:',
      'Question \\p{Nd}+\\.',
      'Part \\p{Nd}+:',
      'Q\\p{Nd}+\\.',
      'Q\\p{Nd}+:',
    ].join('|') +
    ')\\s*',
  'iu',
);

/** "1." or "a)" / "iv)" list numbering; Python's \w and \d are Unicode-aware, hence \p{..}. */
const LIST_NUMBER = /^(\p{Nd}+\.|[\p{L}\p{N}_]+\))\s*/u;

/** One list number, then one label, as their remove_prefix does (a single pass of each). */
function removePrefix(text: string): string {
  const unnumbered = text.replace(LIST_NUMBER, '').trim();
  const label = LABEL.exec(unnumbered);
  return label ? unnumbered.slice(label[0].length).trim() : unnumbered;
}

/** Where the model starts answering its own question. Case-sensitive, as theirs. */
const ANSWER_MARKER =
  /Answers?:|The answer is|Correct answers?|The correct answers?|Answer is|Explanation:|Here are some|Solution Approach:|Solution:/;
const STEP_MARKER = /#{1,3} Step 1:?/;

const firstLine = (text: string) => (text.split('\n')[0] ?? '').trim();
/** Up to and including the first '?'. */
const upToQuestionMark = (text: string) => (text.split('?')[0] ?? '').trim() + '?';

function dropLeadingBold(text: string): string {
  const at = text.indexOf('**');
  return at === 0 || at === 1 ? text.replace(/\*\*/g, '').trim() : text.trim();
}

/** Index of the first marker match after the start, or -1. */
function cutIndex(text: string, marker: RegExp): number {
  const match = marker.exec(text);
  return match && match.index > 0 ? match.index : -1;
}

function cleanBody(text: string): string {
  if (text.startsWith('"')) {
    return text.includes('?')
      ? upToQuestionMark(text).replace(/"/g, '')
      : firstLine(text).replace(/"/g, '').replace(/\*/g, '').trim();
  }
  if (text.startsWith('<b>')) {
    return firstLine(text)
      .replace(/<\/?b>/g, '')
      .replace(/\*/g, '')
      .trim();
  }
  for (const marker of [ANSWER_MARKER, STEP_MARKER]) {
    const at = cutIndex(text, marker);
    if (at >= 0) return dropLeadingBold(text.slice(0, at));
  }
  // A first line ending with ':' introduces something; keep the question part of it.
  if (firstLine(text).endsWith(':')) {
    if (text.includes('#')) return dropLeadingBold(text.split('#')[0] ?? '');
    if (text.includes('?')) return dropLeadingBold(upToQuestionMark(text));
    return firstLine(text).replace(/\*/g, '').trim();
  }
  if (text.includes('?')) return dropLeadingBold(upToQuestionMark(text));
  return firstLine(text).replace(/\*/g, '').trim();
}

/** The authors' instruction_post_process (Llama-3 branch), applied to any model's output. */
export function sanitizeInstruction(text: string): string {
  const unlabelled = removePrefix(text);
  if (unlabelled.startsWith('*') && unlabelled.includes('?')) {
    return removePrefix(upToQuestionMark(unlabelled.replace(/\*/g, '')));
  }
  return removePrefix(cleanBody(removePrefix(unlabelled)));
}

/**
 * Signs that the model went on to answer its own question inside the instruction. Kept narrow
 * so real instructions pass: every pattern is a role or answer header at the start of a line,
 * never words inside a sentence ("write a dialogue between a User: and an Assistant:" passes).
 *  - a line that is just a role name ("assistant", Gemma's "model"), as a chat header leaves it
 *    once its special tokens are stripped;
 *  - a line opening with "Assistant:" or "Answer:" (also bold "**Answer:**");
 *  - markdown "### Response" / "### Answer" / "### Solution" headings.
 * One-line "question? Answer: ..." is not flagged: the sanitiser cuts it back to the question.
 */
const SELF_ANSWER = [
  /(?:^|\n)[ \t]*assistant[ \t]*:?[ \t]*(?:\n|$)/i,
  /(?:^|\n)model[ \t]*(?:\n|$)/,
  /(?:^|\n)[ \t]*(?:\*\*)?(?:Assistant|ASSISTANT|Answer|ANSWER)(?:\*\*)?:/,
  /(?:^|\n)[ \t]*#{1,4}[ \t]*(?:Response|Answer|Solution)\b/i,
];

export function looksLikeSelfAnswer(text: string): boolean {
  return SELF_ANSWER.some((pattern) => pattern.test(text));
}
