import type { PromptTemplate } from '../template';
import { dayOf } from './families';
import { renderChatTemplate, SENTINEL } from './jinja';
import { systemRoleOf } from './render';

/** What a tokenizer_config.json says about chat formatting. */
export interface ChatTemplateSource {
  chatTemplate: string;
  /** '' when the tokenizer has none (Qwen's bos_token is null). */
  bosToken: string;
  eosToken: string;
}

export interface DeriveOptions {
  writeBos: boolean;
  /** Passed to the template as bos_token; '' or omitted when the model has none. */
  bosToken?: string;
  /** Passed as eos_token and used as a stop; omitted when the engine does not report it. */
  eosToken?: string;
  /** The date `strftime_now` reports (Llama-3.2 prints it); today when omitted. */
  date?: Date;
  /** Family id to record on the template; 'custom' when omitted. */
  family?: string;
}

/** Special-token-looking pieces of template text: `<|im_end|>`, `<end_of_turn>`, `[/INST]`, `</s>`. */
const SPECIAL_TOKEN = /<\|[^|<>\s]+\|>|<(?:start|end)_of_turn>|\[\/?INST\]|<\/?s>|<(?:bos|eos)>/g;

/** Token fields are strings, null, or AddedToken objects (`{"content": "<s>", ...}`). */
function tokenText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && 'content' in value) {
    const content = (value as { content: unknown }).content;
    if (typeof content === 'string') return content;
  }
  return '';
}

function pickChatTemplate(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) {
    // Models with tool use ship named templates; 'default' is the plain chat one.
    const named = value as { name?: unknown; template?: unknown }[];
    const def = named.find((t) => t && t.name === 'default');
    if (def && typeof def.template === 'string') return def.template;
    const names = named.map((t) => String(t?.name)).join(', ');
    throw new Error(`tokenizer_config.json has no chat template named 'default' (has: ${names})`);
  }
  throw new Error('tokenizer_config.json has no chat_template');
}

export function parseTokenizerConfig(jsonText: string): ChatTemplateSource {
  let config: unknown;
  try {
    config = JSON.parse(jsonText);
  } catch (err) {
    throw new Error(`tokenizer_config.json is not valid JSON: ${(err as Error).message}`);
  }
  if (!config || typeof config !== 'object' || Array.isArray(config)) {
    throw new Error('tokenizer_config.json must hold a JSON object');
  }
  const fields = config as Record<string, unknown>;
  return {
    chatTemplate: pickChatTemplate(fields.chat_template),
    bosToken: tokenText(fields.bos_token),
    eosToken: tokenText(fields.eos_token),
  };
}

function specialTokensIn(text: string): string[] {
  return text.match(SPECIAL_TOKEN) ?? [];
}

const unique = (items: string[]) => [...new Set(items.filter((s) => s !== ''))];

/**
 * The Magpie template of any model: render its chat template for one user message and cut at
 * that message. What comes before it (default system prompt included) is the pre-query text.
 */
export function deriveTemplate(chatTemplate: string, opts: DeriveOptions): PromptTemplate {
  const bosToken = opts.bosToken ?? '';
  const eosToken = opts.eosToken ?? '';
  const date = opts.date ?? new Date();
  const render = (bos: string) =>
    renderChatTemplate(chatTemplate, {
      messages: [{ role: 'user', content: SENTINEL }],
      addGenerationPrompt: true,
      bosToken: bos,
      eosToken,
      date,
    });
  const text = render(bosToken);
  // The BOS is the template's `{{ bos_token }}` only if leaving bos_token empty removes exactly
  // that from the front. A ChatML model whose bos_token is '<|im_start|>' (SmolLM2) starts with
  // the same text without ever printing bos_token.
  const writesBos = bosToken !== '' && text === bosToken + render('');
  const body = writesBos ? text.slice(bosToken.length) : text;
  const at = body.indexOf(SENTINEL);
  if (at < 0) {
    throw new Error('The chat template did not print the user message, so it cannot be split');
  }
  if (body.indexOf(SENTINEL, at + SENTINEL.length) >= 0) {
    throw new Error('The chat template prints the user message twice, so it cannot be split');
  }
  const postQuery = body.slice(at + SENTINEL.length);
  const day = dayOf(date);
  const spec = { source: chatTemplate, bosToken, eosToken, date: day };
  const endStops = unique([eosToken, ...specialTokensIn(postQuery)]);
  return {
    family: opts.family ?? 'custom',
    // A template that writes no BOS gets none: the rendered text is what the model was fed.
    bos: writesBos ? bosToken : '',
    writeBos: opts.writeBos,
    preQuery: body.slice(0, at),
    postQuery,
    instructionStops: [...endStops, 'assistant'],
    responseStops: endStops,
    chat: { source: chatTemplate, bosToken, eosToken, date: day, system: systemRoleOf(spec) },
  };
}
