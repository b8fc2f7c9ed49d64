import { describe, expect, it } from 'vitest';
import { deriveTemplate, parseTokenizerConfig } from './derive';
import { templateFor } from './families';

/*
 * Chat templates as the models ship them in tokenizer_config.json (after JSON decoding).
 * Where a copy kept the Jinja escapes ("\n" inside a Jinja string literal) it is a String.raw;
 * where the JSON held real newlines it is a plain string. Sources:
 *  - Llama-3.1/3.3, Llama-3.2, Gemma-2, Qwen3, Phi-3.5: llama.cpp models/templates copies;
 *  - Qwen2.5: Qwen2.5-*-Instruct tokenizer_config.json;
 *  - Hermes-3: NousResearch/Hermes-3-Llama-3.1-8B, chat_template entry "default";
 *  - OLMo-2: allenai/OLMo-2-1124-13B-Instruct tokenizer_config.json;
 *  - SmolLM2, Gemma-3, Qwen2, generic ChatML: the models' templates as quoted verbatim in
 *    public code (the ChatML one is transformers' old default template).
 */

const CHATML =
  "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}";

const QWEN2 =
  "{% for message in messages %}{% if loop.first and messages[0]['role'] != 'system' %}{{ '<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n' }}{% endif %}{{'<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}";

const SMOLLM2 =
  "{% for message in messages %}{% if loop.first and messages[0]['role'] != 'system' %}{{ '<|im_start|>system\nYou are a helpful AI assistant named SmolLM, trained by Hugging Face<|im_end|>\n' }}{% endif %}{{'<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}";

const HERMES_3 =
  "{{bos_token}}{% for message in messages %}{% if loop.first and messages[0]['role'] != 'system' %}{{ '<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n' }}{% endif %}{{'<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}";

const OLMO_2 =
  "{{ bos_token }}{% for message in messages %}{% if message['role'] == 'system' %}{{ '<|system|>\n' + message['content'] + '\n' }}{% elif message['role'] == 'user' %}{{ '<|user|>\n' + message['content'] + '\n' }}{% elif message['role'] == 'assistant' %}{% if not loop.last %}{{ '<|assistant|>\n'  + message['content'] + eos_token + '\n' }}{% else %}{{ '<|assistant|>\n'  + message['content'] + eos_token }}{% endif %}{% endif %}{% if loop.last and add_generation_prompt %}{{ '<|assistant|>\n' }}{% endif %}{% endfor %}";

const GEMMA_2 =
  "{{ bos_token }}{% if messages[0]['role'] == 'system' %}{{ raise_exception('System role not supported') }}{% endif %}{% for message in messages %}{% if (message['role'] == 'user') != (loop.index0 % 2 == 0) %}{{ raise_exception('Conversation roles must alternate user/assistant/user/assistant/...') }}{% endif %}{% if (message['role'] == 'assistant') %}{% set role = 'model' %}{% else %}{% set role = message['role'] %}{% endif %}{{ '<start_of_turn>' + role + '\n' + message['content'] | trim + '<end_of_turn>\n' }}{% endfor %}{% if add_generation_prompt %}{{'<start_of_turn>model\n'}}{% endif %}";

const GEMMA_3 = String.raw`{{ bos_token }}
{%- if messages[0]['role'] == 'system' -%}
    {%- if messages[0]['content'] is string -%}
        {%- set first_user_prefix = messages[0]['content'] + '\n\n' -%}
    {%- else -%}
        {%- set first_user_prefix = messages[0]['content'][0]['text'] + '\n\n' -%}
    {%- endif -%}
    {%- set loop_messages = messages[1:] -%}
{%- else -%}
    {%- set first_user_prefix = "" -%}
    {%- set loop_messages = messages -%}
{%- endif -%}
{%- for message in loop_messages -%}
    {%- if (message['role'] == 'user') != (loop.index0 % 2 == 0) -%}
        {{ raise_exception("Conversation roles must alternate user/assistant/user/assistant/...") }}
    {%- endif -%}
    {%- if (message['role'] == 'assistant') -%}
        {%- set role = "model" -%}
    {%- else -%}
        {%- set role = message['role'] -%}
    {%- endif -%}
    {{ '<start_of_turn>' + role + '\n' + (first_user_prefix if loop.first else "") }}
    {%- if message['content'] is string -%}
        {{ message['content'] | trim }}
    {%- elif message['content'] is iterable -%}
        {%- for item in message['content'] -%}
            {%- if item['type'] == 'image' -%}
                {{ '<start_of_image>' }}
            {%- elif item['type'] == 'text' -%}
                {{ item['text'] | trim }}
            {%- endif -%}
        {%- endfor -%}
    {%- else -%}
        {{ raise_exception("Invalid content type") }}
    {%- endif -%}
    {{ '<end_of_turn>\n' }}
{%- endfor -%}
{%- if add_generation_prompt -%}
    {{'<start_of_turn>model\n'}}
{%- endif -%}
`;

const PHI_3_5 =
  "{% for message in messages %}{% if message['role'] == 'system' and message['content'] %}{{'<|system|>\n' + message['content'] + '<|end|>\n'}}{% elif message['role'] == 'user' %}{{'<|user|>\n' + message['content'] + '<|end|>\n'}}{% elif message['role'] == 'assistant' %}{{'<|assistant|>\n' + message['content'] + '<|end|>\n'}}{% endif %}{% endfor %}{% if add_generation_prompt %}{{ '<|assistant|>\n' }}{% else %}{{ eos_token }}{% endif %}";

/** The template's head and tail; the tool branches are the models' own and never taken here. */
const LLAMA_TOOLS_IN_USER_MESSAGE = String.raw`
{#- Custom tools are passed in a user message with some extra guidance #}
{%- if tools_in_user_message and not tools is none %}
    {#- Extract the first user message so we can plug it in here #}
    {%- if messages | length != 0 %}
        {%- set first_user_message = messages[0]['content']|trim %}
        {%- set messages = messages[1:] %}
    {%- else %}
        {{- raise_exception("Cannot put tools in the first user message when there's no first user message!") }}
{%- endif %}
    {{- '<|start_header_id|>user<|end_header_id|>\n\n' -}}
    {{- "Given the following functions, please respond with a JSON for a function call " }}
    {{- "with its proper arguments that best answers the given prompt.\n\n" }}
    {{- 'Respond in the format {"name": function name, "parameters": dictionary of argument name and its value}.' }}
    {{- "Do not use variables.\n\n" }}
    {%- for t in tools %}
        {{- t | tojson(indent=4) }}
        {{- "\n\n" }}
    {%- endfor %}
    {{- first_user_message + "<|eot_id|>"}}
{%- endif %}
`;

const LLAMA_3_1 = String.raw`{{- bos_token }}
{%- if custom_tools is defined %}
    {%- set tools = custom_tools %}
{%- endif %}
{%- if not tools_in_user_message is defined %}
    {%- set tools_in_user_message = true %}
{%- endif %}
{%- if not date_string is defined %}
    {%- set date_string = "26 Jul 2024" %}
{%- endif %}
{%- if not tools is defined %}
    {%- set tools = none %}
{%- endif %}

{#- This block extracts the system message, so we can slot it into the right place. #}
{%- if messages[0]['role'] == 'system' %}
    {%- set system_message = messages[0]['content']|trim %}
    {%- set messages = messages[1:] %}
{%- else %}
    {%- set system_message = "" %}
{%- endif %}

{#- System message + builtin tools #}
{{- "<|start_header_id|>system<|end_header_id|>\n\n" }}
{%- if builtin_tools is defined or tools is not none %}
    {{- "Environment: ipython\n" }}
{%- endif %}
{%- if builtin_tools is defined %}
    {{- "Tools: " + builtin_tools | reject('equalto', 'code_interpreter') | join(", ") + "\n\n"}}
{%- endif %}
{{- "Cutting Knowledge Date: December 2023\n" }}
{{- "Today Date: " + date_string + "\n\n" }}
{%- if tools is not none and not tools_in_user_message %}
    {{- "You have access to the following functions. To call a function, please respond with JSON for a function call." }}
    {{- 'Respond in the format {"name": function name, "parameters": dictionary of argument name and its value}.' }}
    {{- "Do not use variables.\n\n" }}
    {%- for t in tools %}
        {{- t | tojson(indent=4) }}
        {{- "\n\n" }}
    {%- endfor %}
{%- endif %}
{{- system_message }}
{{- "<|eot_id|>" }}
${LLAMA_TOOLS_IN_USER_MESSAGE}
{%- for message in messages %}
    {%- if not (message.role == 'ipython' or message.role == 'tool' or 'tool_calls' in message) %}
        {{- '<|start_header_id|>' + message['role'] + '<|end_header_id|>\n\n'+ message['content'] | trim + '<|eot_id|>' }}
    {%- elif 'tool_calls' in message %}
        {%- if not message.tool_calls|length == 1 %}
            {{- raise_exception("This model only supports single tool-calls at once!") }}
        {%- endif %}
        {%- set tool_call = message.tool_calls[0].function %}
        {%- if builtin_tools is defined and tool_call.name in builtin_tools %}
            {{- '<|start_header_id|>assistant<|end_header_id|>\n\n' -}}
            {{- "<|python_tag|>" + tool_call.name + ".call(" }}
            {%- for arg_name, arg_val in tool_call.arguments | items %}
                {{- arg_name + '="' + arg_val + '"' }}
                {%- if not loop.last %}
                    {{- ", " }}
                {%- endif %}
                {%- endfor %}
            {{- ")" }}
        {%- else  %}
            {{- '<|start_header_id|>assistant<|end_header_id|>\n\n' -}}
            {{- '{"name": "' + tool_call.name + '", ' }}
            {{- '"parameters": ' }}
            {{- tool_call.arguments | tojson }}
            {{- "}" }}
        {%- endif %}
        {%- if builtin_tools is defined %}
            {#- This means we're in ipython mode #}
            {{- "<|eom_id|>" }}
        {%- else %}
            {{- "<|eot_id|>" }}
        {%- endif %}
    {%- elif message.role == "tool" or message.role == "ipython" %}
        {{- "<|start_header_id|>ipython<|end_header_id|>\n\n" }}
        {%- if message.content is mapping or message.content is iterable %}
            {{- message.content | tojson }}
        {%- else %}
            {{- message.content }}
        {%- endif %}
        {{- "<|eot_id|>" }}
    {%- endif %}
{%- endfor %}
{%- if add_generation_prompt %}
    {{- '<|start_header_id|>assistant<|end_header_id|>\n\n' }}
{%- endif %}
`;

const LLAMA_3_2 = String.raw`{{- bos_token }}
{%- if custom_tools is defined %}
    {%- set tools = custom_tools %}
{%- endif %}
{%- if not tools_in_user_message is defined %}
    {%- set tools_in_user_message = true %}
{%- endif %}
{%- if not date_string is defined %}
    {%- if strftime_now is defined %}
        {%- set date_string = strftime_now("%d %b %Y") %}
    {%- else %}
        {%- set date_string = "26 Jul 2024" %}
    {%- endif %}
{%- endif %}
{%- if not tools is defined %}
    {%- set tools = none %}
{%- endif %}

{#- This block extracts the system message, so we can slot it into the right place. #}
{%- if messages[0]['role'] == 'system' %}
    {%- set system_message = messages[0]['content']|trim %}
    {%- set messages = messages[1:] %}
{%- else %}
    {%- set system_message = "" %}
{%- endif %}

{#- System message #}
{{- "<|start_header_id|>system<|end_header_id|>\n\n" }}
{%- if tools is not none %}
    {{- "Environment: ipython\n" }}
{%- endif %}
{{- "Cutting Knowledge Date: December 2023\n" }}
{{- "Today Date: " + date_string + "\n\n" }}
{%- if tools is not none and not tools_in_user_message %}
    {{- "You have access to the following functions. To call a function, please respond with JSON for a function call." }}
    {{- 'Respond in the format {"name": function name, "parameters": dictionary of argument name and its value}.' }}
    {{- "Do not use variables.\n\n" }}
    {%- for t in tools %}
        {{- t | tojson(indent=4) }}
        {{- "\n\n" }}
    {%- endfor %}
{%- endif %}
{{- system_message }}
{{- "<|eot_id|>" }}
${LLAMA_TOOLS_IN_USER_MESSAGE}
{%- for message in messages %}
    {%- if not (message.role == 'ipython' or message.role == 'tool' or 'tool_calls' in message) %}
        {{- '<|start_header_id|>' + message['role'] + '<|end_header_id|>\n\n'+ message['content'] | trim + '<|eot_id|>' }}
    {%- elif 'tool_calls' in message %}
        {%- if not message.tool_calls|length == 1 %}
            {{- raise_exception("This model only supports single tool-calls at once!") }}
        {%- endif %}
        {%- set tool_call = message.tool_calls[0].function %}
        {{- '<|start_header_id|>assistant<|end_header_id|>\n\n' -}}
        {{- '{"name": "' + tool_call.name + '", ' }}
        {{- '"parameters": ' }}
        {{- tool_call.arguments | tojson }}
        {{- "}" }}
        {{- "<|eot_id|>" }}
    {%- elif message.role == "tool" or message.role == "ipython" %}
        {{- "<|start_header_id|>ipython<|end_header_id|>\n\n" }}
        {%- if message.content is mapping or message.content is iterable %}
            {{- message.content | tojson }}
        {%- else %}
            {{- message.content }}
        {%- endif %}
        {{- "<|eot_id|>" }}
    {%- endif %}
{%- endfor %}
{%- if add_generation_prompt %}
    {{- '<|start_header_id|>assistant<|end_header_id|>\n\n' }}
{%- endif %}
`;

const QWEN_2_5 = String.raw`{%- if tools %}
    {{- '<|im_start|>system\n' }}
    {%- if messages[0]['role'] == 'system' %}
        {{- messages[0]['content'] }}
    {%- else %}
        {{- 'You are Qwen, created by Alibaba Cloud. You are a helpful assistant.' }}
    {%- endif %}
    {{- "\n\n# Tools\n\nYou may call one or more functions to assist with the user query.\n\nYou are provided with function signatures within <tools></tools> XML tags:\n<tools>" }}
    {%- for tool in tools %}
        {{- "\n" }}
        {{- tool | tojson }}
    {%- endfor %}
    {{- "\n</tools>\n\nFor each function call, return a json object with function name and arguments within <tool_call></tool_call> XML tags:\n<tool_call>\n{\"name\": <function-name>, \"arguments\": <args-json-object>}\n</tool_call><|im_end|>\n" }}
{%- else %}
    {%- if messages[0]['role'] == 'system' %}
        {{- '<|im_start|>system\n' + messages[0]['content'] + '<|im_end|>\n' }}
    {%- else %}
        {{- '<|im_start|>system\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.<|im_end|>\n' }}
    {%- endif %}
{%- endif %}
{%- for message in messages %}
    {%- if (message.role == "user") or (message.role == "system" and not loop.first) or (message.role == "assistant" and not message.tool_calls) %}
        {{- '<|im_start|>' + message.role + '\n' + message.content + '<|im_end|>' + '\n' }}
    {%- elif message.role == "assistant" %}
        {{- '<|im_start|>' + message.role }}
        {%- if message.content %}
            {{- '\n' + message.content }}
        {%- endif %}
        {%- for tool_call in message.tool_calls %}
            {%- if tool_call.function is defined %}
                {%- set tool_call = tool_call.function %}
            {%- endif %}
            {{- '\n<tool_call>\n{"name": "' }}
            {{- tool_call.name }}
            {{- '", "arguments": ' }}
            {{- tool_call.arguments | tojson }}
            {{- '}\n</tool_call>' }}
        {%- endfor %}
        {{- '<|im_end|>\n' }}
    {%- elif message.role == "tool" %}
        {%- if (loop.index0 == 0) or (messages[loop.index0 - 1].role != "tool") %}
            {{- '<|im_start|>user' }}
        {%- endif %}
        {{- '\n<tool_response>\n' }}
        {{- message.content }}
        {{- '\n</tool_response>' }}
        {%- if loop.last or (messages[loop.index0 + 1].role != "tool") %}
            {{- '<|im_end|>\n' }}
        {%- endif %}
    {%- endif %}
{%- endfor %}
{%- if add_generation_prompt %}
    {{- '<|im_start|>assistant\n' }}
{%- endif %}
`;

const QWEN_3 = String.raw`{%- if tools %}
    {{- '<|im_start|>system\n' }}
    {%- if messages[0].role == 'system' %}
        {{- messages[0].content + '\n\n' }}
    {%- endif %}
    {{- "# Tools\n\nYou may call one or more functions to assist with the user query.\n\nYou are provided with function signatures within <tools></tools> XML tags:\n<tools>" }}
    {%- for tool in tools %}
        {{- "\n" }}
        {{- tool | tojson }}
    {%- endfor %}
    {{- "\n</tools>\n\nFor each function call, return a json object with function name and arguments within <tool_call></tool_call> XML tags:\n<tool_call>\n{\"name\": <function-name>, \"arguments\": <args-json-object>}\n</tool_call><|im_end|>\n" }}
{%- else %}
    {%- if messages[0].role == 'system' %}
        {{- '<|im_start|>system\n' + messages[0].content + '<|im_end|>\n' }}
    {%- endif %}
{%- endif %}
{%- set ns = namespace(multi_step_tool=true, last_query_index=messages|length - 1) %}
{%- for message in messages[::-1] %}
    {%- set index = (messages|length - 1) - loop.index0 %}
    {%- if ns.multi_step_tool and message.role == "user" and not(message.content.startswith('<tool_response>') and message.content.endswith('</tool_response>')) %}
        {%- set ns.multi_step_tool = false %}
        {%- set ns.last_query_index = index %}
    {%- endif %}
{%- endfor %}
{%- for message in messages %}
    {%- if (message.role == "user") or (message.role == "system" and not loop.first) %}
        {{- '<|im_start|>' + message.role + '\n' + message.content + '<|im_end|>' + '\n' }}
    {%- elif message.role == "assistant" %}
        {%- set content = message.content %}
        {%- set reasoning_content = '' %}
        {%- if message.reasoning_content is defined and message.reasoning_content is not none %}
            {%- set reasoning_content = message.reasoning_content %}
        {%- else %}
            {%- if '</think>' in message.content %}
                {%- set content = message.content.split('</think>')[-1].lstrip('\n') %}
                {%- set reasoning_content = message.content.split('</think>')[0].rstrip('\n').split('<think>')[-1].lstrip('\n') %}
            {%- endif %}
        {%- endif %}
        {%- if loop.index0 > ns.last_query_index %}
            {%- if loop.last or (not loop.last and reasoning_content) %}
                {{- '<|im_start|>' + message.role + '\n<think>\n' + reasoning_content.strip('\n') + '\n</think>\n\n' + content.lstrip('\n') }}
            {%- else %}
                {{- '<|im_start|>' + message.role + '\n' + content }}
            {%- endif %}
        {%- else %}
            {{- '<|im_start|>' + message.role + '\n' + content }}
        {%- endif %}
        {%- if message.tool_calls %}
            {%- for tool_call in message.tool_calls %}
                {%- if (loop.first and content) or (not loop.first) %}
                    {{- '\n' }}
                {%- endif %}
                {%- if tool_call.function %}
                    {%- set tool_call = tool_call.function %}
                {%- endif %}
                {{- '<tool_call>\n{"name": "' }}
                {{- tool_call.name }}
                {{- '", "arguments": ' }}
                {%- if tool_call.arguments is string %}
                    {{- tool_call.arguments }}
                {%- else %}
                    {{- tool_call.arguments | tojson }}
                {%- endif %}
                {{- '}\n</tool_call>' }}
            {%- endfor %}
        {%- endif %}
        {{- '<|im_end|>\n' }}
    {%- elif message.role == "tool" %}
        {%- if loop.first or (messages[loop.index0 - 1].role != "tool") %}
            {{- '<|im_start|>user' }}
        {%- endif %}
        {{- '\n<tool_response>\n' }}
        {{- message.content }}
        {{- '\n</tool_response>' }}
        {%- if loop.last or (messages[loop.index0 + 1].role != "tool") %}
            {{- '<|im_end|>\n' }}
        {%- endif %}
    {%- endif %}
{%- endfor %}
{%- if add_generation_prompt %}
    {{- '<|im_start|>assistant\n' }}
    {%- if enable_thinking is defined and enable_thinking is false %}
        {{- '<think>\n\n</think>\n\n' }}
    {%- endif %}
{%- endif %}`;

/** A tokenizer_config.json as the hub serves it, round-tripped through JSON. */
function tokenizerConfig(fields: Record<string, unknown>): string {
  return JSON.stringify({ add_bos_token: false, ...fields }, null, 2);
}

const DATE = new Date(2025, 0, 5);

function derivedFrom(json: string, writeBos = true) {
  const source = parseTokenizerConfig(json);
  return deriveTemplate(source.chatTemplate, { ...source, writeBos, date: DATE });
}

/** The prompt-building parts of a template (stops are compared separately). */
const text = (t: { bos: string; preQuery: string; postQuery: string }) => ({
  bos: t.bos,
  preQuery: t.preQuery,
  postQuery: t.postQuery,
});

describe('deriveTemplate on real chat templates', () => {
  it.each([
    [
      'generic ChatML',
      'chatml',
      { chat_template: CHATML, bos_token: null, eos_token: '<|im_end|>' },
    ],
    ['Qwen2', 'qwen2', { chat_template: QWEN2, bos_token: null, eos_token: '<|im_end|>' }],
    ['Qwen2.5', 'qwen2.5', { chat_template: QWEN_2_5, bos_token: null, eos_token: '<|im_end|>' }],
    ['Qwen3', 'qwen3', { chat_template: QWEN_3, bos_token: null, eos_token: '<|im_end|>' }],
    [
      'SmolLM2',
      'smollm2',
      { chat_template: SMOLLM2, bos_token: '<|im_start|>', eos_token: '<|im_end|>' },
    ],
    [
      'Llama-3.1',
      'llama-3.1',
      { chat_template: LLAMA_3_1, bos_token: '<|begin_of_text|>', eos_token: '<|eot_id|>' },
    ],
    [
      'Llama-3.2',
      'llama-3.2',
      { chat_template: LLAMA_3_2, bos_token: '<|begin_of_text|>', eos_token: '<|eot_id|>' },
    ],
    ['Gemma-2', 'gemma-2', { chat_template: GEMMA_2, bos_token: '<bos>', eos_token: '<eos>' }],
    ['Gemma-3', 'gemma-3', { chat_template: GEMMA_3, bos_token: '<bos>', eos_token: '<eos>' }],
    [
      'OLMo-2',
      'olmo-2',
      { chat_template: OLMO_2, bos_token: '<|endoftext|>', eos_token: '<|endoftext|>' },
    ],
    [
      'Hermes-3 (named templates)',
      'hermes-3',
      {
        chat_template: [
          { name: 'default', template: HERMES_3 },
          { name: 'tool_use', template: "{{ raise_exception('not this one') }}" },
        ],
        bos_token: '<|begin_of_text|>',
        eos_token: '<|im_end|>',
      },
    ],
  ])('%s renders to the %s family', (_name, familyId, config) => {
    const derived = derivedFrom(tokenizerConfig(config));
    expect(text(derived)).toEqual(text(templateFor(familyId, { writeBos: true, date: DATE })));
    expect(derived.writeBos).toBe(true);
    expect(derived.family).toBe('custom');
  });

  it('Phi-3.5: same text, but the template itself writes no BOS', () => {
    const derived = derivedFrom(
      tokenizerConfig({ chat_template: PHI_3_5, bos_token: '<s>', eos_token: '<|endoftext|>' }),
    );
    const family = templateFor('phi-3', { writeBos: true });
    expect(derived.bos).toBe('');
    expect(derived.preQuery).toBe(family.preQuery);
    expect(derived.postQuery).toBe(family.postQuery);
  });

  it('old Mistral revisions put a space before [/INST]', () => {
    const mistralV01 =
      "{{ bos_token }}{% for message in messages %}{% if (message['role'] == 'user') != (loop.index0 % 2 == 0) %}{{ raise_exception('Conversation roles must alternate user/assistant/user/assistant/...') }}{% endif %}{% if message['role'] == 'user' %}{{ '[INST] ' + message['content'] + ' [/INST]' }}{% elif message['role'] == 'assistant' %}{{ message['content'] + eos_token + ' ' }}{% else %}{{ raise_exception('Only user and assistant roles are supported!') }}{% endif %}{% endfor %}";
    const derived = deriveTemplate(mistralV01, {
      bosToken: '<s>',
      eosToken: '</s>',
      writeBos: true,
    });
    expect(text(derived)).toEqual({ bos: '<s>', preQuery: '[INST] ', postQuery: ' [/INST]' });
    expect(derived.responseStops).toEqual(['</s>', '[/INST]']);
  });

  it('prints the given date where the template calls strftime_now', () => {
    const derived = deriveTemplate(LLAMA_3_2, {
      bosToken: '<|begin_of_text|>',
      writeBos: false,
      date: new Date(2024, 6, 26),
    });
    expect(derived.preQuery).toContain('Today Date: 26 Jul 2024\n');
  });

  it('stops at the eos token and the special tokens after the user message', () => {
    const llama = derivedFrom(
      tokenizerConfig({
        chat_template: LLAMA_3_1,
        bos_token: '<|begin_of_text|>',
        eos_token: '<|eot_id|>',
      }),
    );
    expect(llama.responseStops).toEqual(['<|eot_id|>', '<|start_header_id|>', '<|end_header_id|>']);
    expect(llama.instructionStops).toEqual([...llama.responseStops, 'assistant']);

    const gemma = derivedFrom(
      tokenizerConfig({ chat_template: GEMMA_2, bos_token: '<bos>', eos_token: '<eos>' }),
    );
    expect(gemma.responseStops).toEqual(['<eos>', '<end_of_turn>', '<start_of_turn>']);

    const qwen3 = derivedFrom(
      tokenizerConfig({ chat_template: QWEN_3, bos_token: null, eos_token: '<|im_end|>' }),
    );
    // The think block is part of the prompt, not something to stop at.
    expect(qwen3.responseStops).toEqual(['<|im_end|>', '<|im_start|>']);
  });

  it('keeps the BOS in the pre-query text when the template does not start with it', () => {
    const derived = deriveTemplate("{{ 'x' + bos_token }}{{ messages[0].content }}", {
      bosToken: '<s>',
      writeBos: true,
    });
    expect(text(derived)).toEqual({ bos: '', preQuery: 'x<s>', postQuery: '' });
  });

  it('records the family it is given', () => {
    expect(deriveTemplate(CHATML, { writeBos: false, family: 'chatml' }).family).toBe('chatml');
  });
});

describe('deriveTemplate errors', () => {
  it('throws when the template does not print the user message', () => {
    expect(() => deriveTemplate('{{ bos_token }}Hello', { writeBos: true })).toThrow(
      /did not print the user message/,
    );
  });

  it('throws when the template prints the user message twice', () => {
    expect(() =>
      deriveTemplate('{{ messages[0].content }}{{ messages[0].content }}', { writeBos: true }),
    ).toThrow(/prints the user message twice/);
  });

  it('throws a clear error when the template raises', () => {
    expect(() =>
      deriveTemplate("{{ raise_exception('System role not supported') }}", { writeBos: true }),
    ).toThrow(/chat template failed to render: System role not supported/);
  });

  it('throws a clear error when the template does not parse', () => {
    expect(() => deriveTemplate('{% if %}', { writeBos: true })).toThrow(
      /chat template failed to render/,
    );
  });
});

describe('parseTokenizerConfig', () => {
  it('reads a plain template and string tokens', () => {
    expect(
      parseTokenizerConfig(
        tokenizerConfig({ chat_template: CHATML, bos_token: '<s>', eos_token: '</s>' }),
      ),
    ).toEqual({ chatTemplate: CHATML, bosToken: '<s>', eosToken: '</s>' });
  });

  it('reads AddedToken objects and null tokens', () => {
    const json = tokenizerConfig({
      chat_template: CHATML,
      bos_token: { __type: 'AddedToken', content: '<s>', lstrip: false, special: true },
      eos_token: null,
    });
    expect(parseTokenizerConfig(json)).toEqual({
      chatTemplate: CHATML,
      bosToken: '<s>',
      eosToken: '',
    });
  });

  it("takes the 'default' entry of named templates", () => {
    const json = tokenizerConfig({
      chat_template: [
        { name: 'tool_use', template: 'tools' },
        { name: 'default', template: 'plain' },
      ],
    });
    expect(parseTokenizerConfig(json).chatTemplate).toBe('plain');
  });

  it.each([
    ['not JSON', '{', /not valid JSON/],
    ['not an object', '[]', /must hold a JSON object/],
    ['no chat_template', tokenizerConfig({ bos_token: '<s>' }), /has no chat_template/],
    [
      'no default entry',
      tokenizerConfig({ chat_template: [{ name: 'tool_use', template: 'x' }] }),
      /no chat template named 'default' \(has: tool_use\)/,
    ],
  ])('rejects %s', (_name, json, message) => {
    expect(() => parseTokenizerConfig(json)).toThrow(message);
  });
});
