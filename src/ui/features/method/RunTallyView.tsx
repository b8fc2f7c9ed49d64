import { languageName } from '../../../shared/languages';
import type { RunSettings, RunTally } from '../../../shared/run';

interface Props {
  tally: RunTally;
  settings: Pick<RunSettings, 'systemPrompts' | 'languages'>;
}

/** The live counts of the method's controls: pairs per system prompt, language hit rate. */
export function RunTallyView({ tally, settings }: Props) {
  const prompts = settings.systemPrompts ?? [];
  const languages = settings.languages ?? [];
  const rate =
    tally.languageChecked > 0
      ? Math.round((tally.languageMatched / tally.languageChecked) * 100)
      : 0;
  return (
    <div className="tally">
      {prompts.length > 0 && (
        <table aria-label="Pairs per system prompt">
          <thead>
            <tr>
              <th scope="col">System prompt</th>
              <th scope="col">Pairs</th>
            </tr>
          </thead>
          <tbody>
            {prompts.map((p) => (
              <tr key={p.id}>
                <td>{p.label || p.id}</td>
                <td data-testid={`pairs-for-${p.id}`}>{tally.bySystemPrompt[p.id] ?? 0}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {languages.length > 0 && (
        <p data-testid="language-match">
          In the target language ({languages.map((l) => languageName(l.code)).join(', ')}):{' '}
          {tally.languageMatched} of {tally.languageChecked} instructions ({rate}%)
        </p>
      )}
    </div>
  );
}
