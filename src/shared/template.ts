/**
 * The prompt strings of one Magpie run. Both steps are raw completions. For the bare shape (no
 * system prompt, no earlier turns):
 *   instruction prompt = (bos if writeBos) + preQuery
 *   response prompt    = (bos if writeBos) + preQuery + instruction + postQuery
 * Any other shape is rendered from `chat`, the model's own chat template (templates/render.ts).
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
  /**
   * The chat template the strings above were cut from; every prompt with a system message or
   * earlier turns is rendered from it. Absent once the user edits the strings by hand: such a
   * template renders the bare shape only.
   */
  chat?: ChatTemplateSpec;
}

export interface ChatTemplateSpec {
  /** Jinja source, as in the model's tokenizer_config.json. */
  source: string;
  /** Passed to the template as bos_token / eos_token ('' when the model has none). */
  bosToken: string;
  eosToken: string;
  /**
   * The day `strftime_now` reports (YYYY-MM-DD), fixed when the template was chosen so that a
   * run's prompts do not change at midnight or on resume.
   */
  date: string;
  /**
   * 'fold': the template has no system role (Gemma-2 raises on one), so the system text opens
   * the first user message followed by a blank line, as Gemma-3's own template does it.
   */
  system: 'native' | 'fold';
}

/** One earlier message of a conversation. Earlier turns alternate user, assistant, ... */
export interface ChatTurn {
  role: 'user' | 'assistant';
  content: string;
}

/** What the instruction step continues: the opener of the next user message follows `turns`. */
export interface Conversation {
  /** The system prompt; absent or '' for none (the template's default, if it has one, applies). */
  system?: string;
  /** Complete earlier turns: user, assistant, user, assistant, ... (empty for a first turn). */
  turns: ChatTurn[];
}

/** What the response step continues: the conversation, the new instruction, the reply opener. */
export interface ResponseConversation extends Conversation {
  instruction: string;
}

export function instructionPrompt(t: PromptTemplate): string {
  return (t.writeBos ? t.bos : '') + t.preQuery;
}

export function responsePrompt(t: PromptTemplate, instruction: string): string {
  return instructionPrompt(t) + instruction + t.postQuery;
}
