// The bare loop of the GGUF benchmark: the requests a run makes (same prompts, seeds and
// sampling as generatePair), with none of the pipeline around them.
import type { Engine } from '../src/shared/engine';
import type { RunSettings } from '../src/shared/run';
import { instructionPrompt, responsePrompt, type PromptTemplate } from '../src/shared/template';

export async function* generatePairRequests(
  engine: Engine,
  template: PromptTemplate,
  s: RunSettings,
  pairs: number,
) {
  let made = 0;
  const stops = [...template.instructionStops, ...(s.earlyStopNewline ? ['\n'] : [])];
  for (let k = 0; made < pairs; k++) {
    const seed = s.seed + k;
    const ins = await engine.complete({
      prompt: instructionPrompt(template),
      maxTokens: s.instruction.maxTokens,
      temperature: s.instruction.temperature,
      topP: s.instruction.topP,
      repetitionPenalty: s.instruction.repetitionPenalty,
      seed,
      stop: stops,
    });
    const instruction = ins.text.trim();
    if (ins.finishReason !== 'stop' || instruction.length < s.minInstructionChars) continue;
    const res = await engine.complete({
      prompt: responsePrompt(template, instruction),
      maxTokens: s.response.maxTokens,
      temperature: s.response.temperature,
      topP: s.response.topP,
      repetitionPenalty: s.response.repetitionPenalty,
      seed,
      stop: template.responseStops,
    });
    made++;
    yield res;
  }
}
