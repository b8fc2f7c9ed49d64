/**
 * A stand-in for a vLLM server, for tests: real HTTP on 127.0.0.1, the OpenAI
 * completions wire format (whole and streamed), CORS like vLLM, deterministic Magpie-ish
 * answers, and switchable failure modes. No dependencies and erasable TypeScript only,
 * so newer Node can also run it directly:
 *   node --experimental-strip-types e2e/support/fake-openai-server.ts --port 0 --model X
 * (Node >= 22.6; Node 20 cannot strip types: import startFakeOpenAIServer instead.)
 */
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';

export type FakeMode =
  'ok' | 'error500' | 'malformed' | 'empty' | 'html' | 'unauthorized' | 'no-cors';

export interface FakeServerOptions {
  /** Model id served (default 'fake/magpie-1'). */
  model?: string;
  port?: number;
  /** Decides what a completion prompt asks for; default: see isInstructionPrompt. */
  classify?: (prompt: string) => 'instruction' | 'response';
  /** The run's pre-query template text; a prompt ending like it asks for an instruction. */
  preQuery?: string;
  /** When set, every /v1 request needs `Authorization: Bearer <apiKey>` (as vLLM --api-key). */
  apiKey?: string;
  mode?: FakeMode;
  /** Wait before answering each completion (ms). */
  delayMs?: number;
  /** Wait between streamed chunks (ms). */
  chunkDelayMs?: number;
  /** After this many completions, switch to `failMode` (default 'error500'). */
  failAfter?: number;
  failMode?: FakeMode;
  /** Serve llama.cpp's GET /props with these fields; without it /props is a 404 as on vLLM. */
  props?: { chat_template?: string; bos_token?: string; n_ctx?: number };
  /** Honour stream_options.include_usage (default true); false acts like servers that ignore it. */
  streamUsage?: boolean;
  /**
   * What one completion request may carry: 'vllm' (default) takes `n` (sample i of a
   * request with seed s uses seed s + i, as vLLM's V1 engine) and `prompt` as an array
   * (one seed for every prompt); 'llama.cpp' takes arrays but refuses n > 1 (HTTP 400);
   * 'none' acts like Ollama: refuses arrays (HTTP 400) and ignores `n` (one choice).
   */
  batching?: 'vllm' | 'llama.cpp' | 'none';
  /** Completion requests (counted from 0) answered with a 500 once each: a failure mid-run. */
  failRequests?: number[];
  /** How POST /v1/chat/completions answers judge prompts (see judgeAnswer). */
  judge?: FakeJudgeOptions;
}

export interface FakeJudgeOptions {
  /** The first answer to each distinct prompt is cut off mid-JSON (the judge's retry path). */
  truncateFirst?: boolean;
  /** Instructions containing this text always get the task category "Cooking" (not a label). */
  wrongLabelFor?: string;
  /** Answer 400 to requests carrying response_format, as servers without JSON mode do. */
  rejectResponseFormat?: boolean;
  /**
   * Score a response by the seed that made it ("(answer N)", see answer()): N % 10, so a
   * preference run's k responses (distinct seeds) get distinct scores.
   */
  scoreBySeed?: boolean;
}

export interface RecordedRequest {
  method: string;
  path: string;
  /** Parsed JSON body, the raw text when it is not JSON, undefined when empty. */
  body: unknown;
  authorization?: string;
}

/** One sample the server answered: its prompt, the seed it applied, the text it gave. */
export interface AnsweredSample {
  prompt: string;
  seed?: number;
  text: string;
}

/** The probe the server engine sends once per server (see src/engine/server/probe.ts). */
export const isProbe = (s: AnsweredSample) => s.prompt === 'Hello' || s.prompt === 'Hi';

export interface FakeOpenAIServer {
  /** The model id it serves. */
  model: string;
  /** Every completion sample answered with a 200, in order (a batch gives several). */
  answered: AnsweredSample[];
  /** Server root, e.g. http://127.0.0.1:43121 (the OpenAI API is under /v1). */
  url: string;
  /** `${url}/v1` */
  baseUrl: string;
  port: number;
  requests: RecordedRequest[];
  /** Completion requests answered so far (a batch counts once). */
  completions(): number;
  /** Completion requests being answered now, and the most at once so far (server side). */
  inFlight(): number;
  maxInFlight(): number;
  /** Completion requests the client closed before the answer was due. */
  cancelled(): number;
  /** Chat completions (judge prompts) answered so far. */
  chats(): number;
  /** The most chat completions being answered at once so far. */
  maxChatsInFlight(): number;
  /** Switch mode now; also cancels a pending failAfter switch. */
  setMode(mode: FakeMode): void;
  setDelay(ms: number): void;
  close(): Promise<void>;
}

const TOPICS = [
  'sort a list of {n} numbers in Python',
  'convert {n} miles to kilometres',
  'explain recursion to a {n}-year-old',
  'plan a {n}-day trip to Lisbon',
  'write a haiku about {n} cats',
  'split a bill of {n} euros between friends',
  'train for a {n} km run',
  'read a CSV file with {n} columns in JavaScript',
];
// Who or what the question is for, from the second round of topics on: with the number,
// makes instruction k unlike every other (no near-duplicates until k passes 128).
const SETTINGS = [
  '',
  'for my grandmother',
  'before a job interview tomorrow',
  'on an old laptop',
  'with a tight budget',
  'while travelling by train',
  'as a complete beginner',
  'for a school project',
  'without any special tools',
  'in under ten minutes',
  'when the weather is bad',
  'with two small children around',
  'for a community newsletter',
  'using only free software',
  'after a long night shift',
  'in a noisy open office',
];
const DEFAULT_PRE_QUERY = '<|start_header_id|>user<|end_header_id|>\n\n';

/**
 * An instruction differs for every k: the topic cycles, the number grows, and the setting
 * changes with each round of topics, so runs of up to 128 samples hold no near-duplicates.
 */
export function fakeInstruction(k: number): string {
  const round = Math.floor(k / TOPICS.length);
  const topic = (TOPICS[k % TOPICS.length] ?? '').replace('{n}', String(round + 2));
  const setting = SETTINGS[round % SETTINGS.length];
  return `How do I ${topic}${setting ? ` ${setting}` : ''}?`;
}

/** Default classifier: the prompt ends like the pre-query (the last 20 characters). */
export function isInstructionPrompt(prompt: string, preQuery = DEFAULT_PRE_QUERY): boolean {
  const tail = preQuery.slice(-20);
  return tail !== '' && prompt.endsWith(tail);
}

/** Requests being answered now, and the most at once: what a concurrency test checks. */
function inFlightGauge() {
  const gauge = {
    now: 0,
    max: 0,
    async during<T>(answer: () => Promise<T>): Promise<T> {
      gauge.max = Math.max(gauge.max, ++gauge.now);
      try {
        return await answer();
      } finally {
        gauge.now--;
      }
    },
  };
  return gauge;
}

export async function startFakeOpenAIServer(
  opts: FakeServerOptions = {},
): Promise<FakeOpenAIServer> {
  const model = opts.model ?? 'fake/magpie-1';
  const requests: RecordedRequest[] = [];
  let mode: FakeMode = opts.mode ?? 'ok';
  let delayMs = opts.delayMs ?? 0;
  let served = 0;
  let chatsServed = 0;
  const judged = new Set<string>();
  let failAfter = opts.failAfter;
  const completions = inFlightGauge();
  const chats = inFlightGauge();
  let samplesServed = 0;
  let cancelled = 0;
  const answered: AnsweredSample[] = [];

  const server = createServer((req, res) => {
    void handle(req, res).catch(() => res.destroy());
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    res.on('error', () => undefined);
    const raw = await readBody(req);
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const body = parseBody(raw);
    requests.push({
      method: req.method ?? 'GET',
      path,
      body,
      authorization: req.headers.authorization,
    });
    if (mode !== 'no-cors') {
      res.setHeader('Access-Control-Allow-Origin', '*');
      res.setHeader('Access-Control-Allow-Headers', 'authorization, content-type');
      res.setHeader('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
    }
    if (req.method === 'OPTIONS') return end(res, 204, '', 'text/plain');
    if (mode === 'html') {
      return end(res, 200, '<html>Welcome to nginx</html>', 'text/html');
    }
    if (path === '/props' && opts.props) {
      const { chat_template, bos_token, n_ctx } = opts.props;
      return json(res, 200, { chat_template, bos_token, default_generation_settings: { n_ctx } });
    }
    if (path.startsWith('/v1/')) {
      const wanted = opts.apiKey === undefined ? undefined : `Bearer ${opts.apiKey}`;
      const keyOk = wanted !== undefined && req.headers.authorization === wanted;
      if ((mode === 'unauthorized' || wanted !== undefined) && !keyOk) {
        return json(res, 401, { error: 'Unauthorized' });
      }
    }
    if (req.method === 'GET' && path === '/v1/models') {
      return json(res, 200, {
        object: 'list',
        data: [{ id: model, object: 'model', owned_by: 'fake', max_model_len: 4096 }],
      });
    }
    if (req.method === 'POST' && path === '/v1/completions') {
      return completions.during(() => completion(res, body));
    }
    if (req.method === 'POST' && path === '/v1/chat/completions') {
      return chats.during(() => chat(res, body));
    }
    return json(res, 404, { detail: 'Not Found' });
  }

  async function chat(res: ServerResponse, body: unknown): Promise<void> {
    const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
    if (b.model !== model) {
      return json(
        res,
        404,
        vllmError(`The model \`${String(b.model)}\` does not exist.`, 'NotFoundError', 404),
      );
    }
    if (delayMs > 0) await sleep(delayMs);
    if (res.destroyed) return;
    if (opts.judge?.rejectResponseFormat && b.response_format !== undefined) {
      return json(res, 400, vllmError('response_format is not supported', 'BadRequestError', 400));
    }
    const k = chatsServed++;
    if (mode === 'error500') {
      return json(
        res,
        500,
        vllmError('The fake engine crashed (mode error500).', 'InternalServerError', 500),
      );
    }
    const messages = Array.isArray(b.messages) ? (b.messages as { content?: unknown }[]) : [];
    const prompt = String(messages[0]?.content ?? '');
    let content = judgeAnswer(prompt, opts.judge ?? {});
    if (opts.judge?.truncateFirst && messages.length === 1 && !judged.has(prompt)) {
      judged.add(prompt);
      content = content.slice(0, Math.floor(content.length / 2));
    }
    const usage = { prompt_tokens: countWords(prompt), completion_tokens: countWords(content) };
    return json(res, 200, {
      id: `chatcmpl-fake-${k}`,
      object: 'chat.completion',
      created: 1700000000,
      model,
      choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
      usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens },
    });
  }

  async function completion(res: ServerResponse, body: unknown): Promise<void> {
    const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
    if (b.model !== model) {
      return json(
        res,
        404,
        vllmError(`The model \`${String(b.model)}\` does not exist.`, 'NotFoundError', 404),
      );
    }
    const batching = opts.batching ?? 'vllm';
    const n = typeof b.n === 'number' ? b.n : 1;
    if (Array.isArray(b.prompt) && batching === 'none') {
      return json(res, 400, {
        error: { message: 'invalid prompt: must be a string', type: 'invalid_request_error' },
      });
    }
    if (n !== 1 && batching === 'llama.cpp') {
      return json(res, 400, {
        error: {
          code: 400,
          message: 'Only one completion choice is allowed',
          type: 'invalid_request_error',
        },
      });
    }
    if (delayMs > 0) await sleep(delayMs);
    if (res.destroyed) return void cancelled++;
    const k = served++;
    const current =
      (failAfter !== undefined && k >= failAfter) || opts.failRequests?.includes(k)
        ? (opts.failMode ?? 'error500')
        : mode;
    if (current === 'error500') {
      return json(
        res,
        500,
        vllmError('The fake engine crashed (mode error500).', 'InternalServerError', 500),
      );
    }
    const stream = b.stream === true;
    if (current === 'malformed') {
      if (stream)
        return end(
          res,
          200,
          'data: {"choices": [{"text": "Here\n\ndata: [DONE]\n\n',
          'text/event-stream',
        );
      return end(res, 200, '{"choices": [{"text": "Here is', 'application/json');
    }
    const prompts = Array.isArray(b.prompt)
      ? b.prompt.map((p) => (typeof p === 'string' ? p : ''))
      : [typeof b.prompt === 'string' ? b.prompt : ''];
    const samples = batching === 'none' ? 1 : n;
    if (prompts.length > 1 || samples > 1) {
      if (stream)
        return json(res, 400, vllmError('streaming batches is not faked', 'BadRequestError', 400));
      const choices = prompts.flatMap((prompt, p) =>
        Array.from({ length: samples }, (_, i) => {
          // vLLM: one seed for every prompt, seed + i for sample i of n; unseeded: always new.
          const seed = typeof b.seed === 'number' ? b.seed + i : 1_000_000 + samplesServed++;
          // Different prompts under one seed give different samples on a real server: an
          // instruction prompt at position p writes instruction seed + 37p (a unique text).
          const k = prompts.length > 1 && kindOf(prompt) === 'instruction' ? seed + 37 * p : seed;
          const { text, finish } = cut(
            current === 'empty' ? '' : answer(prompt, laterTurn(prompt, k)),
            b,
          );
          answered.push({ prompt, seed: typeof b.seed === 'number' ? seed : undefined, text });
          return {
            index: p * samples + i,
            text,
            logprobs: null,
            finish_reason: finish,
            stop_reason: null,
          };
        }),
      );
      const promptTokens = prompts.reduce((sum, p) => sum + countWords(p), 0);
      const completionTokens = choices.reduce((sum, c) => sum + countWords(c.text), 0);
      return json(res, 200, {
        id: `cmpl-fake-${k}`,
        object: 'text_completion',
        created: 1700000000,
        model,
        // Answered out of order, as servers may: clients sort by index.
        choices: choices.reverse(),
        usage: {
          prompt_tokens: promptTokens,
          completion_tokens: completionTokens,
          total_tokens: promptTokens + completionTokens,
        },
      });
    }
    const prompt = prompts[0] ?? '';
    const seed = typeof b.seed === 'number' ? b.seed : k;
    let words = current === 'empty' ? [] : answer(prompt, laterTurn(prompt, seed)).split(' ');
    let finish = 'stop';
    const max = typeof b.max_tokens === 'number' ? b.max_tokens : Infinity;
    if (words.length > max) [words, finish] = [words.slice(0, max), 'length'];
    let text = words.join(' ');
    for (const stop of Array.isArray(b.stop) ? b.stop : []) {
      const at = typeof stop === 'string' && stop !== '' ? text.indexOf(stop) : -1;
      if (at !== -1) [text, finish] = [text.slice(0, at), 'stop'];
    }
    answered.push({ prompt, seed: typeof b.seed === 'number' ? seed : undefined, text });
    const usage = { prompt_tokens: countWords(prompt), completion_tokens: countWords(text) };
    const meta = { id: `cmpl-fake-${k}`, object: 'text_completion', created: 1700000000, model };
    if (!stream) {
      const choice = { index: 0, text, logprobs: null, finish_reason: finish, stop_reason: null };
      return json(res, 200, {
        ...meta,
        choices: [choice],
        usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens },
      });
    }
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
    const pieces = text === '' ? [''] : (text.match(/(\S+\s*){1,3}/g) ?? [text]);
    for (const [i, piece] of pieces.entries()) {
      const last = i === pieces.length - 1;
      const choice = { index: 0, text: piece, logprobs: null, finish_reason: last ? finish : null };
      res.write(`data: ${JSON.stringify({ ...meta, choices: [choice] })}\n\n`);
      if (opts.chunkDelayMs) await sleep(opts.chunkDelayMs);
      if (res.destroyed) return;
    }
    const options = b.stream_options as { include_usage?: unknown } | undefined;
    if (options?.include_usage === true && opts.streamUsage !== false) {
      const total = usage.prompt_tokens + usage.completion_tokens;
      res.write(
        `data: ${JSON.stringify({ ...meta, choices: [], usage: { ...usage, total_tokens: total } })}\n\n`,
      );
    }
    res.end('data: [DONE]\n\n');
  }

  function cut(full: string, b: Record<string, unknown>): { text: string; finish: string } {
    let words = full === '' ? [] : full.split(' ');
    let finish = 'stop';
    const max = typeof b.max_tokens === 'number' ? b.max_tokens : Infinity;
    if (words.length > max) [words, finish] = [words.slice(0, max), 'length'];
    let text = words.join(' ');
    for (const stop of Array.isArray(b.stop) ? b.stop : []) {
      const at = typeof stop === 'string' && stop !== '' ? text.indexOf(stop) : -1;
      if (at !== -1) [text, finish] = [text.slice(0, at), 'stop'];
    }
    return { text, finish };
  }

  function kindOf(prompt: string): 'instruction' | 'response' {
    return opts.classify
      ? opts.classify(prompt)
      : opts.preQuery !== undefined
        ? isInstructionPrompt(prompt, opts.preQuery)
          ? 'instruction'
          : 'response'
        : /How do I [^?]*\?/.test(prompt)
          ? 'response'
          : 'instruction';
  }

  // A later turn's instruction prompt holds the conversation so far; a real server's sample
  // for it differs from turn 1's under the same seed, so the fake's does too (by the number
  // of questions already asked), whether or not the turn shared a request with others.
  function laterTurn(prompt: string, k: number): number {
    if (kindOf(prompt) !== 'instruction') return k;
    return k + 1009 * (prompt.match(/How do I [^?]*\?/g)?.length ?? 0);
  }

  function answer(prompt: string, k: number): string {
    if (kindOf(prompt) === 'instruction') return fakeInstruction(k);
    const asked = [...prompt.matchAll(/How do I ([^?]*)\?/g)].pop()?.[1];
    return `Here is how ${asked ? `to ${asked}` : 'to do it'}: start small, check each step, and compare with a known answer. (answer ${k})`;
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    model,
    url,
    baseUrl: `${url}/v1`,
    port,
    requests,
    answered,
    completions: () => served,
    inFlight: () => completions.now,
    maxInFlight: () => completions.max,
    cancelled: () => cancelled,
    chats: () => chatsServed,
    maxChatsInFlight: () => chats.max,
    // An explicit mode replaces a pending failAfter switch (the server "recovers").
    setMode: (next) => {
      mode = next;
      failAfter = undefined;
    },
    setDelay: (ms) => void (delayMs = ms),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/**
 * A judge's answer to one of the Magpie tagging prompts, decided by the instruction's
 * words (deterministic), in the forms small models give: fenced in ```json, bare, or
 * after a sentence of prose.
 */
export function judgeAnswer(prompt: string, judge: FakeJudgeOptions = {}): string {
  const query =
    /## (?:User Query|User Instruction)\n```\n([\s\S]*?)\n```/.exec(prompt)?.[1]?.trim() ?? '';
  const has = (re: RegExp) => re.test(query);
  if (prompt.includes('"primary_tag"')) {
    const primary =
      judge.wrongLabelFor && query.includes(judge.wrongLabelFor)
        ? 'Cooking'
        : has(/python|javascript|csv|code/i)
          ? 'Coding & Debugging'
          : has(/haiku|poem|story/i)
            ? 'Creative writing'
            : has(/plan|trip/i)
              ? 'Planning'
              : has(/miles|bill|euros|numbers|solve/i)
                ? 'Math'
                : has(/train|advice|should i/i)
                  ? 'Advice seeking'
                  : 'Information seeking';
    const others = primary === 'Information seeking' ? ['Reasoning'] : ['Information seeking'];
    return `\`\`\`json\n${JSON.stringify({ primary_tag: primary, other_tags: others }, null, 4)}\n\`\`\``;
  }
  if (prompt.includes('"input_quality"')) {
    const quality =
      query.length < 25
        ? 'very poor'
        : has(/haiku/i)
          ? 'average'
          : has(/lisbon|python/i)
            ? 'excellent'
            : 'good';
    const explanation = `The query is ${quality === 'good' || quality === 'excellent' ? 'clear and specific' : 'vague or incomplete'}.`;
    return JSON.stringify({ explanation, input_quality: quality }, null, 4);
  }
  if (prompt.includes('"intent"')) {
    const difficulty = has(/python|javascript|solve/i) ? 'medium' : 'easy';
    const intent = `The user wants to ${query.replace(/^how do i /i, '').replace(/[?:.]$/, '')}.`;
    return `Here is the analysis of the query:\n${JSON.stringify({ intent, knowledge: 'To solve this problem, the models need to know the basics of the topic.', difficulty })}`;
  }
  const answered = /## Assistant Response\n```\n[\s\S]*?\(answer (\d+)\)\n```/.exec(prompt)?.[1];
  if (judge.scoreBySeed && answered !== undefined) {
    return JSON.stringify({ reason: `Answer ${answered}.`, score: Number(answered) % 10 });
  }
  const score = has(/haiku/i) ? 5 : 8;
  return JSON.stringify({
    reason: score > 6 ? 'Correct and to the point.' : 'Vague, misses the form.',
    score,
  });
}

function vllmError(message: string, type: string, code: number) {
  return { error: { message, type, param: null, code } };
}

function json(res: ServerResponse, status: number, value: unknown): void {
  end(res, status, JSON.stringify(value), 'application/json');
}

function end(res: ServerResponse, status: number, text: string, type: string): void {
  res.writeHead(status, { 'Content-Type': type });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (text += chunk));
    req.on('end', () => resolve(text));
    req.on('error', reject);
  });
}

function parseBody(raw: string): unknown {
  if (raw === '') return undefined;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw;
  }
}

function countWords(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * CLI: --port N --model ID [--api-key K] [--mode M] [--delay MS] [--chunk-delay MS]
 *      [--fail-after N] [--fail-mode M] [--pre-query TEXT] [--batching vllm|llama.cpp|none]
 */
async function main(argv: string[]): Promise<void> {
  const arg = (name: string) => {
    const i = argv.indexOf(`--${name}`);
    return i === -1 ? undefined : argv[i + 1];
  };
  const num = (name: string) => (arg(name) === undefined ? undefined : Number(arg(name)));
  const server = await startFakeOpenAIServer({
    port: num('port') ?? 0,
    model: arg('model'),
    apiKey: arg('api-key'),
    mode: arg('mode') as FakeMode | undefined,
    delayMs: num('delay'),
    chunkDelayMs: num('chunk-delay'),
    failAfter: num('fail-after'),
    failMode: arg('fail-mode') as FakeMode | undefined,
    preQuery: arg('pre-query'),
    batching: arg('batching') as FakeServerOptions['batching'],
  });
  console.log(`listening ${server.url}`);
  const stop = () => void server.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  void main(process.argv.slice(2));
}
