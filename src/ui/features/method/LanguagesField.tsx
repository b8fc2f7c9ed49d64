import { useState } from 'react';
import {
  defaultLanguagePrompt,
  DETECTABLE_LANGUAGES,
  languageName,
  languageProblems,
  type LanguageTarget,
} from '../../../shared/languages';

interface Props {
  languages: LanguageTarget[];
  dropMisses: boolean;
  onChange: (languages: LanguageTarget[], dropMisses: boolean) => void;
}

const BY_NAME = [...DETECTABLE_LANGUAGES].sort((a, b) =>
  languageName(a).localeCompare(languageName(b)),
);

/**
 * Target languages: each pair's system prompt asks for one, drawn by weight. The request is
 * editable per language; whether the model obeyed is measured with the language detector.
 */
export function LanguagesField({ languages, dropMisses, onChange }: Props) {
  const [pick, setPick] = useState('');
  const update = (i: number, patch: Partial<LanguageTarget>) =>
    onChange(
      languages.map((l, j) => (j === i ? { ...l, ...patch } : l)),
      dropMisses,
    );
  const free = BY_NAME.filter((code) => !languages.some((l) => l.code === code));
  const problems = languageProblems(languages);
  return (
    <fieldset className="method-field" aria-label="Target languages">
      <legend>Target languages</legend>
      <p className="muted">
        Each pair asks for one language, drawn by weight; the live view shows how often the
        instruction came out in it.
      </p>
      <ol className="weighted-list">
        {languages.map((l, i) => (
          <li key={l.code}>
            <div className="row">
              <strong className="grow">
                {languageName(l.code)} <code>{l.code}</code>
              </strong>
              <label>
                Weight
                <input
                  type="number"
                  aria-label={`${languageName(l.code)} weight`}
                  min={0}
                  step={0.1}
                  value={l.weight}
                  onChange={(e) => update(i, { weight: e.target.valueAsNumber })}
                />
              </label>
              <button
                type="button"
                onClick={() =>
                  onChange(
                    languages.filter((_, j) => j !== i),
                    dropMisses,
                  )
                }
              >
                Remove
              </button>
            </div>
            <textarea
              aria-label={`${languageName(l.code)} request`}
              rows={2}
              value={l.prompt}
              onChange={(e) => update(i, { prompt: e.target.value })}
            />
          </li>
        ))}
      </ol>
      <div className="row">
        <label className="grow">
          Add a language
          <select
            aria-label="Add a language"
            value={pick}
            onChange={(e) => setPick(e.target.value)}
          >
            <option value="">Choose…</option>
            {free.map((code) => (
              <option key={code} value={code}>
                {languageName(code)}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          disabled={!pick}
          onClick={() => {
            onChange(
              [...languages, { code: pick, weight: 1, prompt: defaultLanguagePrompt(pick) }],
              dropMisses,
            );
            setPick('');
          }}
        >
          Add
        </button>
      </div>
      <label className="check">
        <input
          type="checkbox"
          checked={dropMisses}
          disabled={!languages.length}
          onChange={(e) => onChange(languages, e.target.checked)}
        />
        Drop instructions not in their target language (counted with the drops)
      </label>
      {problems.map((p) => (
        <p key={p} className="warn" role="alert">
          {p}
        </p>
      ))}
    </fieldset>
  );
}
