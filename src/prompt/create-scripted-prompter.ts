// Answer questions from a script, for tests of the code that asks.
import type { Answer, Prompter, Question } from './types.js';

export interface ScriptedPrompter extends Prompter {
  /** Every question asked so far, in order. */
  readonly asked: Question[];
}

// Create a prompter that gives the listed answers in order (or computes each one), recording the
// questions. Asking past the end of the list throws, so a test notices a question it did not expect.
export function createScriptedPrompter(answers: Answer[] | ((q: Question, index: number) => Answer)): ScriptedPrompter {
  const asked: Question[] = [];
  return {
    asked,
    async ask(question) {
      const index = asked.push(question) - 1;
      if (typeof answers === 'function') return answers(question, index);
      if (index >= answers.length) {
        throw new Error(`scripted prompter: question ${index + 1} was not expected (${answers.length} answers scripted)`);
      }
      return answers[index];
    },
  };
}
