// Asking a person about denied actions: one question at a time at a terminal, or deny.
export type { Answer, Prompter, Question } from './types.js';
export { ANSWERS } from './types.js';
export { createTtyPrompter, MAX_REASKS, type TtyPrompterOptions } from './create-tty-prompter.js';
export { createScriptedPrompter, type ScriptedPrompter } from './create-scripted-prompter.js';
export { denyPrompter } from './deny-prompter.js';
export { choosePrompter } from './choose-prompter.js';
export { formatQuestion, isQuestionTooLong, KEY_FOR, MAX_QUESTION_BYTES } from './format-question.js';
