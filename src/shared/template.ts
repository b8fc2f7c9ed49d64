/**
 * The prompt strings of one Magpie run. Both steps are raw completions:
 *   instruction prompt = (bos if writeBos) + preQuery
 *   response prompt    = (bos if writeBos) + preQuery + instruction + postQuery
 */
export interface PromptTemplate {
  /** Family id from the template table, or 'custom' once the user edits it. */
  family: string;
  /** Beginning-of-sequence token text ('' for families without one). */
  bos: string;
  /** Whether the app writes `bos` itself (a server's tokenizer may add its own). */
  writeBos: boolean;
  /** Everything before the user message (a default system prompt belongs here). */
  preQuery: string;
  /** Everything between the user message and the assistant's reply. */
  postQuery: string;
  /** Stop strings of the instruction step (the '\n' early stop is added by the run settings). */
  instructionStops: string[];
  /** Stop strings of the response step. */
  responseStops: string[];
}

export function instructionPrompt(t: PromptTemplate): string {
  return (t.writeBos ? t.bos : '') + t.preQuery;
}

export function responsePrompt(t: PromptTemplate, instruction: string): string {
  return instructionPrompt(t) + instruction + t.postQuery;
}
