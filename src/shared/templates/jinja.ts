/**
 * Runs a model's Jinja chat template the way `tokenizer.apply_chat_template` does. The Jinja
 * library is heavy for a first page load: only worker code (the renderer, template derivation)
 * imports this module.
 */
import { Environment, Interpreter, Template } from '@huggingface/jinja';
import { strftime } from './families';

/** A message as chat templates read it. */
export interface JinjaMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface JinjaRenderInput {
  messages: JinjaMessage[];
  addGenerationPrompt: boolean;
  /** Passed as bos_token; '' when the model has none. */
  bosToken: string;
  eosToken: string;
  /** The day `strftime_now` reports (Llama-3.2 prints it). */
  date: Date;
}

/** Python's range(), which chat templates call; the library keeps its own copy private. */
function range(start: number, stop?: number, step = 1): number[] {
  const [from, to] = stop === undefined ? [0, start] : [start, stop];
  if (step === 0) throw new Error('range() step must not be zero');
  const out: number[] = [];
  for (let i = from; step > 0 ? i < to : i > to; i += step) out.push(i);
  return out;
}

// Parsing is most of the cost of a render; a run renders the same few templates for every pair.
const parsed = new Map<string, Template>();
const PARSED_KEPT = 16;

function parse(source: string): Template {
  let template = parsed.get(source);
  if (!template) {
    template = new Template(source);
    if (parsed.size >= PARSED_KEPT) parsed.delete(parsed.keys().next().value!);
    parsed.set(source, template);
  }
  return template;
}

/**
 * We build the globals ourselves because Template.render() refuses to override its own
 * strftime_now, which reads the wall clock and the host's locale: the date must be a parameter.
 */
export function renderChatTemplate(source: string, input: JinjaRenderInput): string {
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
    strftime_now: (format: string) => strftime(input.date, format),
    messages: input.messages,
    add_generation_prompt: input.addGenerationPrompt,
    // Qwen3 and other hybrid-reasoning templates: answer directly, no thinking block.
    enable_thinking: false,
    bos_token: input.bosToken,
    eos_token: input.eosToken,
  };
  for (const [name, value] of Object.entries(globals)) env.set(name, value);

  let output: unknown;
  try {
    output = new Interpreter(env).run(parse(source).parsed).value;
  } catch (err) {
    throw new Error(`The chat template failed to render: ${(err as Error).message}`);
  }
  if (typeof output !== 'string') throw new Error('The chat template did not render to text');
  return output;
}

/**
 * Stands in for a message whose text is cut out afterwards. Plain ASCII on purpose: templates
 * may `trim` the content or test its prefix, and it must not look like anything a template
 * prints by itself.
 */
export const SENTINEL = 'MAGPIE_STUDIO_USER_MESSAGE_SENTINEL_7f3c';
