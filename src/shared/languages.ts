/**
 * Target languages: a run can ask each pair's instruction to be written in a language drawn by
 * weight. The choice is the languages the app can detect (quality/language.ts, ELD's 60), so
 * that whether the model obeyed can be measured.
 */

export interface LanguageTarget {
  /** ISO 639-1 code, as the language detector reports it. */
  code: string;
  weight: number;
  /** The system prompt text that asks for the language; editable per language. */
  prompt: string;
}

/** ELD's languages (eld/small); a unit test keeps this equal to the detector's own list. */
export const DETECTABLE_LANGUAGES = [
  'am', 'ar', 'az', 'be', 'bg', 'bn', 'ca', 'cs', 'da', 'de', 'el', 'en', 'es', 'et', 'eu',
  'fa', 'fi', 'fr', 'gu', 'he', 'hi', 'hr', 'hu', 'hy', 'is', 'it', 'ja', 'ka', 'kn', 'ko',
  'ku', 'lo', 'lt', 'lv', 'ml', 'mr', 'ms', 'nl', 'no', 'or', 'pa', 'pl', 'pt', 'ro', 'ru',
  'sk', 'sl', 'sq', 'sr', 'sv', 'ta', 'te', 'th', 'tl', 'tr', 'uk', 'ur', 'vi', 'yo', 'zh',
] as const; // prettier-ignore

const names = new Intl.DisplayNames(['en'], { type: 'language' });

/** "French" for 'fr'; the code itself when the runtime has no name for it. */
export function languageName(code: string): string {
  try {
    return names.of(code) ?? code;
  } catch {
    return code;
  }
}

/**
 * The default request for a language. It speaks about the user because in Magpie the model
 * writes the user's message: the system prompt describes who is asking.
 */
export function defaultLanguagePrompt(code: string): string {
  const name = languageName(code);
  return `You are an AI assistant. The user will write to you in ${name} only, and you will reply in ${name}.`;
}

/** The system prompt of one pair: the domain prompt, then the language request. */
export function composeSystemPrompt(domain: string | undefined, language: string | undefined) {
  return [domain, language].filter((s): s is string => !!s && s.trim() !== '').join('\n\n');
}

/** Problems with a language list, in words; empty when it can be run. */
export function languageProblems(targets: readonly LanguageTarget[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const t of targets) {
    const name = languageName(t.code);
    if (!(DETECTABLE_LANGUAGES as readonly string[]).includes(t.code)) {
      problems.push(`“${t.code}” is not a language the app can detect.`);
    }
    if (seen.has(t.code)) problems.push(`${name} is listed twice.`);
    seen.add(t.code);
    if (!Number.isFinite(t.weight) || t.weight < 0) {
      problems.push(`${name} needs a weight of 0 or more.`);
    }
    if (!t.prompt.trim()) problems.push(`The prompt asking for ${name} is empty.`);
  }
  if (targets.length && !targets.some((t) => t.weight > 0)) {
    problems.push('At least one language needs a weight above 0.');
  }
  return problems;
}
