import { Environment, Interpreter, Template } from '@huggingface/jinja';
import type { PromptTemplate } from '../template';
import { strftime } from './families';

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

/**
 * Stands in for the user message. Plain ASCII on purpose: templates may `trim` the content or test
 * its prefix, and it must not look like anything a template prints by itself.
 */
const SENTINEL = 'MAGPIE_STUDIO_USER_MESSAGE_SENTINEL_7f3c';

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

/** Python's range(), which chat templates call; the library keeps its own copy private. */
function range(start: number, stop?: number, step = 1): number[] {
  const [from, to] = stop === undefined ? [0, start] : [start, stop];
  if (step === 0) throw new Error('range() step must not be zero');
  const out: number[] = [];
  for (let i = from; step > 0 ? i < to : i > to; i += step) out.push(i);
  return out;
}

/**
 * Renders like `tokenizer.apply_chat_template(..., add_generation_prompt=True)`. We build the
 * globals ourselves because Template.render() refuses to override its own strftime_now, which
 * reads the wall clock and the host's locale: the date must be a parameter.
 */
function render(chatTemplate: string, bosToken: string, eosToken: string, date: Date): string {
  const env = new Environment();
  const globals: Record<string, unknown> = {
    true: true,
    false: false,
    none: null,
    True: true,
    False: false,
    None: null,
    raise_exception: (message: string) => {
      throw new Error(message);
    },
    range,
    strftime_now: (format: string) => strftime(date, format),
    messages: [{ role: 'user', content: SENTINEL }],
    add_generation_prompt: true,
    // Qwen3 and other hybrid-reasoning templates: answer directly, no thinking block.
    enable_thinking: false,
    bos_token: bosToken,
    eos_token: eosToken,
  };
  for (const [name, value] of Object.entries(globals)) env.set(name, value);

  let output: unknown;
  try {
    output = new Interpreter(env).run(new Template(chatTemplate).parsed).value;
  } catch (err) {
    throw new Error(`The chat template failed to render: ${(err as Error).message}`);
  }
  if (typeof output !== 'string') throw new Error('The chat template did not render to text');
  return output;
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
  const text = render(chatTemplate, bosToken, eosToken, date);
  // The BOS is the template's `{{ bos_token }}` only if leaving bos_token empty removes exactly
  // that from the front. A ChatML model whose bos_token is '<|im_start|>' (SmolLM2) starts with
  // the same text without ever printing bos_token.
  const writesBos = bosToken !== '' && text === bosToken + render(chatTemplate, '', eosToken, date);
  const body = writesBos ? text.slice(bosToken.length) : text;
  const at = body.indexOf(SENTINEL);
  if (at < 0) {
    throw new Error('The chat template did not print the user message, so it cannot be split');
  }
  if (body.indexOf(SENTINEL, at + SENTINEL.length) >= 0) {
    throw new Error('The chat template prints the user message twice, so it cannot be split');
  }
  const postQuery = body.slice(at + SENTINEL.length);
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
  };
}
