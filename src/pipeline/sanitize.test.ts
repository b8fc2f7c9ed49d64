import { describe, expect, it } from 'vitest';
import { hasLeakedTemplateTokens } from '../record-rules/template-tokens';
import { looksLikeSelfAnswer, sanitizeInstruction } from './sanitize';

describe('sanitizeInstruction', () => {
  it.each([
    ['1. Write a poem about the sea.', 'Write a poem about the sea.'],
    ['12.Name three prime numbers.', 'Name three prime numbers.'],
    ['a) Explain recursion to a child.', 'Explain recursion to a child.'],
    ['Question: What is the capital of France?', 'What is the capital of France?'],
    ['question: what is the capital of France?', 'what is the capital of France?'],
    ['Task: Summarize the plot of Hamlet.', 'Summarize the plot of Hamlet.'],
    ['**Problem** Find all real x with x^2 = 4.', 'Find all real x with x^2 = 4.'],
    [
      '## Instruction: Translate "good morning" into French.',
      'Translate "good morning" into French.',
    ],
    ['Original Prompt: Describe a sunset over the ocean.', 'Describe a sunset over the ocean.'],
    [
      'Question 3: How do vaccines train the immune system?',
      'How do vaccines train the immune system?',
    ],
    ['Q1. What is entropy?', 'What is entropy?'],
    ['Part 2: Compare Python and Go.', 'Compare Python and Go.'],
    ['1. Question: Why is the sky blue?', 'Why is the sky blue?'],
  ])('strips list numbers and labels: %j', (raw, clean) => {
    expect(sanitizeInstruction(raw)).toBe(clean);
  });

  it.each([
    ['What is 2 + 2? Answer: 4', 'What is 2 + 2?'],
    ['Solve x + 3 = 5 for x. Solution: x = 2.', 'Solve x + 3 = 5 for x.'],
    [
      'Describe photosynthesis in plants. Explanation: Plants use light',
      'Describe photosynthesis in plants.',
    ],
    [
      'I need ideas for a birthday party. Here are some ideas: games',
      'I need ideas for a birthday party.',
    ],
    ['Name the largest planet. The answer is Jupiter.', 'Name the largest planet.'],
    ['Find the derivative of x^3.\n# Step 1: apply the power rule', 'Find the derivative of x^3.'],
    ['Find the derivative of x^3.\n## Step 1 Power rule', 'Find the derivative of x^3.'],
    ['Factor x^2 - 1.\n### Step 1: difference of squares', 'Factor x^2 - 1.'],
  ])('cuts at the first answer marker: %j', (raw, clean) => {
    expect(sanitizeInstruction(raw)).toBe(clean);
  });

  it('matches answer markers case-sensitively, as the authors did', () => {
    expect(sanitizeInstruction('Is this the answer: maybe or not')).toBe(
      'Is this the answer: maybe or not',
    );
  });

  it.each([
    [
      'Consider the following scenario:\nYou manage a team. How would you handle a conflict? More text.',
      'Consider the following scenario:\nYou manage a team. How would you handle a conflict?',
    ],
    ['Write code for the following:\n# Sort a list\nin place', 'Write code for the following:'],
    ['Rewrite this sentence:\nThe cat sat on the mat.', 'Rewrite this sentence:'],
  ])(
    'keeps up to the first "?" (or "#", or line) when the first line ends with ":": %j',
    (raw, clean) => {
      expect(sanitizeInstruction(raw)).toBe(clean);
    },
  );

  it.each([
    ['**What are the benefits of yoga?** Yoga helps', 'What are the benefits of yoga?'],
    ['**Plan a three-day trip to Rome**', 'Plan a three-day trip to Rome'],
    ['"How do I bake sourdough bread?" asked the baker.', 'How do I bake sourdough bread?'],
    ['"Write a haiku about autumn."\nThen explain it.', 'Write a haiku about autumn.'],
    ['<b>Explain quantum tunneling</b>\nIt is a quantum effect', 'Explain quantum tunneling'],
  ])('unwraps bold, quoted and <b> instructions: %j', (raw, clean) => {
    expect(sanitizeInstruction(raw)).toBe(clean);
  });

  it.each([
    'Write a short story about a robot learning to paint.',
    'How do I reverse a linked list in Python?',
    'I have a list of numbers. How can I sort it in descending order?',
    '¿Cuál es la capital de Francia?',
    'Question about taxes: do I need to file if I earned nothing?',
    'Give me three tips for better sleep.',
    // A marker at the very start would cut everything; it is left for the later rules.
    'Explanation: why does ice float on water?',
    '',
  ])('leaves a clean instruction as it is: %j', (raw) => {
    expect(sanitizeInstruction(raw)).toBe(raw);
  });

  it('keeps only the question when one runs on past its "?"', () => {
    expect(sanitizeInstruction('What is a monad? I have read many blog posts.')).toBe(
      'What is a monad?',
    );
  });

  it('keeps only the first line of a multi-line instruction without a question', () => {
    expect(sanitizeInstruction('Write a limerick about cats.\nHere is one: There once')).toBe(
      'Write a limerick about cats.',
    );
  });

  it('trims surrounding whitespace', () => {
    expect(sanitizeInstruction('  Task:   Name a color.  ')).toBe('Name a color.');
  });
});

describe('hasLeakedTemplateTokens', () => {
  it.each([
    'Tell me a joke<|im_end|>',
    'What is AI?<|eot_id|><|start_header_id|>assistant',
    '<|user|>\nHi',
    'Hello<start_of_turn>model',
    'Hello<end_of_turn>',
    '[INST] Write a poem',
    'Write a poem [/INST]',
    '<s>Hi',
    'Hi</s>',
    '<think>\nLet me think',
    '<｜end▁of▁sentence｜>',
    '<<SYS>>\nYou are helpful',
  ])('flags %j', (text) => {
    expect(hasLeakedTemplateTokens(text)).toBe(true);
  });

  it.each([
    'How do I center a <div> with CSS?',
    'What does a|b mean in a regular expression?',
    'In Elixir, what does the <|> operator do?',
    'Write [INSTRUCTIONS] for assembling a desk.',
    'Is x < y || y > z always true?',
    'Explain the <span> and <strong> tags.',
  ])('passes %j', (text) => {
    expect(hasLeakedTemplateTokens(text)).toBe(false);
  });
});

describe('looksLikeSelfAnswer', () => {
  it.each([
    'What is AI?\nassistant\n\nAI is the study of',
    'Tell me a joke.\nAssistant: Why did the chicken',
    'Assistant: Sure! Here is a poem.',
    'Solve 2x = 4.\n### Response\nx = 2',
    'Solve 2x = 4.\n## Answer\nx = 2',
    'What is 2 + 2?\nAnswer: 4',
    'What is 2 + 2?\n**Answer:** 4',
    'Describe Paris.\nmodel\nParis is the capital',
  ])('flags %j', (text) => {
    expect(looksLikeSelfAnswer(text)).toBe(true);
  });

  it.each([
    'Write a dialogue between a User: and an Assistant: about cats.',
    'How can I become a better assistant manager?',
    'Which model should I use for image classification?',
    'Explain the answer: why is the sky blue?',
    // One line: the sanitiser cuts this back to the question instead of dropping it.
    'What is 2 + 2? Answer: 4',
    'Write a short story about a lighthouse keeper.',
  ])('passes %j', (text) => {
    expect(looksLikeSelfAnswer(text)).toBe(false);
  });
});
