// Turn one chunk of raw terminal input into an answer (pure).
import { KEY_FOR, offeredAnswers, SHOW_KEY } from './format-question.js';
import type { Answer, Question } from './types.js';

export type KeyResult = { answer: Answer } | { show: true } | { interrupt: true } | { eof: true } | { invalid: true };

// Read a chunk as exactly one key: a chunk of several characters (a paste, an arrow key) is invalid.
export function parseKey(chunk: string, q: Question): KeyResult {
  if (chunk === '\x03') return { interrupt: true }; // Ctrl-C: raw mode turned off ISIG, so we see it
  if (chunk === '\x04') return { eof: true }; // Ctrl-D
  for (const answer of offeredAnswers(q)) if (chunk === KEY_FOR[answer]) return { answer };
  if (chunk === SHOW_KEY && q.details) return { show: true };
  return { invalid: true };
}
