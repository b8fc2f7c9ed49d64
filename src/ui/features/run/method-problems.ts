import { languageProblems } from '../../../shared/languages';
import type { RunSettings } from '../../../shared/run';
import { systemPromptProblems } from '../../../shared/system-prompts';
import type { PromptTemplate } from '../../../shared/template';

/** What keeps the method's controls from running, in words; empty when they can run. */
export function methodProblems(s: RunSettings, template: PromptTemplate): string[] {
  const problems = [
    ...systemPromptProblems(s.systemPrompts ?? []),
    ...languageProblems(s.languages ?? []),
  ];
  if (!template.chat && (s.systemPrompts?.length || s.languages?.length)) {
    problems.push(
      'System prompts and languages need the model’s own chat template, and this one was edited by hand: pick the template family again.',
    );
  }
  return problems;
}
