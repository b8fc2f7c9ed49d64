/** Models wrap JSON in prose or fences: the judge and "describe your data" both read it out. */
export class NoJsonObject extends Error {}

/** The first complete JSON object in `text`, as text. */
export function extractJsonObject(text: string): string {
  const start = text.indexOf('{');
  if (start === -1) throw new NoJsonObject('no JSON object in the answer');
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return text.slice(start, i + 1);
  }
  throw new NoJsonObject('the JSON object is cut off (the answer ended before its closing brace)');
}
