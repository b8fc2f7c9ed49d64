import { runShape } from '../../../shared/run';
import { instructionPrompt } from '../../../shared/template';
import { turnCount } from '../../../shared/turns';
import { getDb } from '../../../store/db';
import { recentRecords } from '../../../store/records';
import { getRun } from '../../../store/runs';
import { useLiveOf } from '../../lib/use-live-of';

/** Who wrote each part of the last pair's text: the app's template or the model. */
interface PromptPart {
  by: 'app' | 'model';
  role: string;
  text: string;
}

interface Explained {
  parts: PromptPart[];
  /** Where this pair's steps were asked differently from the plain text shown. */
  notes: string[];
}

const LEGEND: Record<PromptPart['by'], string> = {
  app: 'the app wrote it (chat template)',
  model: 'the model wrote it',
};

/**
 * Magpie in one picture: the whole text behind the newest pair of the dataset. The app sends
 * only the template's opening of a user turn; the model continues it with an instruction;
 * the app closes the turn with the template again; the model answers. The texts come from the
 * record (what was sent and written) and are rendered as text, never as markup.
 */
export function PromptExplainer({ datasetId }: { datasetId: string | undefined }) {
  const explained = useLiveOf(datasetId, async (id): Promise<Explained | undefined> => {
    const db = getDb();
    const [last] = await recentRecords(db, id, 1);
    const run = last?.runId ? await getRun(db, last.runId) : undefined;
    if (!last || !run) return undefined; // imported records: no template to show
    const preference = runShape(run.settings).mode === 'preference';
    const notes: string[] = [];
    if (last.system_prompt && run.settings.systemPromptInResponse === false)
      notes.push(
        'The response step was sent this text without the system prompt (the run asked for that).',
      );
    const turns = turnCount(last);
    if (turns > 1)
      notes.push(
        `This conversation has ${turns} turns; shown is the first. Each later instruction was asked with the conversation so far, then answered the same way.`,
      );
    if (preference)
      notes.push(
        `The response shown is the one the judge chose of the ${last.preference?.responses.length ?? 'k'} sampled for this instruction.`,
      );
    return {
      notes,
      parts: [
        {
          by: 'app',
          role: 'Pre-query template',
          text: last.gen_input_configs.pre_query_template ?? instructionPrompt(run.template),
        },
        { by: 'model', role: 'Instruction', text: last.instruction },
        {
          by: 'app',
          role: 'Post-query template',
          text: last.gen_response_configs.post_query_template ?? run.template.postQuery,
        },
        { by: 'model', role: preference ? 'Response (chosen)' : 'Response', text: last.response },
      ],
    };
  });

  return (
    <section className="card explainer" aria-labelledby="explainer-h">
      <h2 id="explainer-h">How Magpie made the last pair</h2>
      {!explained ? (
        <p className="muted">
          The app sends the model only the start of a chat, up to where a user&apos;s message would
          begin. The model writes that message itself (the instruction), then answers it. The last
          pair&apos;s full text will show here, each part marked.
        </p>
      ) : (
        <>
          <p className="legend">
            {(['app', 'model'] as const).map((by) => (
              <span key={by} className={`part by-${by}`}>
                {LEGEND[by]}
              </span>
            ))}
          </p>
          <pre className="prompt" data-testid="explained-prompt">
            {explained.parts.map((p, i) => (
              <span
                key={i}
                className={`part by-${p.by}`}
                title={`${p.role}: ${LEGEND[p.by]}`}
                data-part={p.role}
              >
                <span className="part-role">{p.role}</span>
                <span className="part-text">{p.text}</span>
              </span>
            ))}
          </pre>
          {explained.notes.map((n) => (
            <p key={n} className="muted">
              {n}
            </p>
          ))}
        </>
      )}
    </section>
  );
}
