/**
 * The judge's prompts, after the Magpie authors' tagging prompts (magpie-align/magpie,
 * utils.py: input_classification, input_quality_rating, input_difficulty_rating) with
 * their label sets and JSON shapes, plus a response score (0-10, one-line reason) that
 * stands in for their reward model. Each task also has a JSON schema for engines with a
 * JSON mode; the prompt still spells the format out, since JSON mode alone can let a
 * model ramble inside the braces.
 */
import type { ChatMessage } from '../../shared/engine';
import type { JudgeTask } from '../../shared/quality';
import { DIFFICULTIES, INPUT_QUALITIES, TASK_CATEGORIES } from '../../shared/record';
import {
  correction,
  RESPONSE_SCORE_MAX_TOKENS,
  RESPONSE_SCORE_SCHEMA,
  responseScorePrompt,
} from '../../shared/response-score';

const CATEGORY_NOTES: Record<(typeof TASK_CATEGORIES)[number], string> = {
  'Information seeking': 'Users ask for specific information or facts about various topics.',
  Reasoning: 'Queries require logical thinking, problem-solving, or processing of complex ideas.',
  Planning: 'Users need assistance in creating plans or strategies for activities and projects.',
  Editing:
    'Involves editing, rephrasing, proofreading, or other tasks related to the composition of general written content.',
  'Coding & Debugging': 'Users seek help with writing, reviewing, or fixing code in programming.',
  Math: 'Queries related to mathematical concepts, problems, and calculations.',
  'Role playing':
    'Users engage in scenarios requiring the assistant to adopt a character or persona.',
  'Data analysis':
    'Requests involve interpreting data, statistics, or performing analytical tasks.',
  'Creative writing':
    'Users seek assistance with crafting stories, poems, or other creative texts.',
  'Advice seeking':
    'Users ask for recommendations or guidance on various personal or professional issues.',
  Brainstorming: 'Involves generating ideas, creative thinking, or exploring possibilities.',
  Others: 'Any queries that do not fit into the above categories or are of a miscellaneous nature.',
};

const fence = (text: string) => `\`\`\`\n${text}\n\`\`\``;

function classification(instruction: string): string {
  const tags = TASK_CATEGORIES.map((t) => `    "${t}",  # ${CATEGORY_NOTES[t]}`).join('\n');
  return `# Instruction

Please label the task tags for the user query.

## User Query
${fence(instruction)}

## Tagging the user input
Please label the task tags for the user query. You will need to analyze the user query and select the most relevant task tag from the list below.

all_task_tags = [
${tags}
]

## Output Format:
Note that you can only select a single primary tag. Other applicable tags can be added to the list of other tags.
Now, please output your tags below in a json format by filling in the placeholders in <...>:
${fence('{\n    "primary_tag": "<primary tag>",\n    "other_tags": ["<tag 1>", "<tag 2>", ... ]\n}')}
`;
}

function quality(instruction: string): string {
  return `# Instruction

You need to rate the quality of the user query based on its clarity, specificity, and coherence.

The rating scale is as follows:

- very poor: The query is unclear, vague, or incoherent. It lacks essential information and context.
- poor: The query is somewhat unclear or lacks important details. It requires significant clarification.
- average: The query is moderately clear and specific. It may require some additional information for a complete understanding.
- good: The query is clear, specific, and mostly well-formed. It provides sufficient context for understanding the user's intent.
- excellent: The query is very clear, specific, and well-articulated. It contains all the necessary information and context for providing a comprehensive response.

## User Query
${fence(instruction)}

## Output Format
Given the user query, you first need to give an assessment, highlighting the strengths and/or weaknesses of the user query.
Then, you need to output a rating from very poor to excellent by filling in the placeholders in [...]:
${fence('{\n    "explanation": "[...]",\n    "input_quality": "[very poor/poor/average/good/excellent]"\n}')}
`;
}

function difficulty(instruction: string): string {
  return `# Instruction

You first need to identify the given user intent and then label the difficulty level of the user query based on the content of the user query.

## User Query
${fence(instruction)}

## Output Format
Given the user query, in your output, you first need to identify the user intent and the knowledge needed to solve the task in the user query.
Then, rate the difficulty level of the user query as \`very easy\`, \`easy\`, \`medium\`, \`hard\`, or \`very hard\`.

Now, please output the user intent and difficulty level below in a json format by filling in the placeholders in []:
${fence('{\n    "intent": "The user wants to [....]",\n    "knowledge": "To solve this problem, the models need to know [....]",\n    "difficulty": "[very easy/easy/medium/hard/very hard]"\n}')}
`;
}

export function judgePrompt(
  task: JudgeTask,
  record: { instruction: string; response: string },
): ChatMessage[] {
  const content =
    task === 'task_category'
      ? classification(record.instruction)
      : task === 'input_quality'
        ? quality(record.instruction)
        : task === 'difficulty'
          ? difficulty(record.instruction)
          : responseScorePrompt(record.instruction, record.response);
  return [{ role: 'user', content }];
}

export { correction };

const str = { type: 'string' } as const;

export const JUDGE_SCHEMAS: Record<JudgeTask, Record<string, unknown>> = {
  task_category: {
    type: 'object',
    properties: {
      primary_tag: { type: 'string', enum: [...TASK_CATEGORIES] },
      other_tags: { type: 'array', items: { type: 'string', enum: [...TASK_CATEGORIES] } },
    },
    required: ['primary_tag', 'other_tags'],
  },
  input_quality: {
    type: 'object',
    properties: { explanation: str, input_quality: { type: 'string', enum: [...INPUT_QUALITIES] } },
    required: ['explanation', 'input_quality'],
  },
  difficulty: {
    type: 'object',
    properties: {
      intent: str,
      knowledge: str,
      difficulty: { type: 'string', enum: [...DIFFICULTIES] },
    },
    required: ['intent', 'knowledge', 'difficulty'],
  },
  response_score: RESPONSE_SCORE_SCHEMA,
};

/** Tokens each answer may take: room for the explanation, not for an essay. */
export const JUDGE_MAX_TOKENS: Record<JudgeTask, number> = {
  task_category: 128,
  input_quality: 384,
  difficulty: 384,
  response_score: RESPONSE_SCORE_MAX_TOKENS,
};
