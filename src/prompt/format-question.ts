// Render a question as the text shown at the terminal, every untrusted string escaped and cut (pure).
import { escapeForTerminal } from '../text/escape-for-terminal.js';
import { ANSWERS, type Answer, type Question } from './types.js';

/** Deny without asking when the question's own text is larger than this (bytes, as Deno does). */
export const MAX_QUESTION_BYTES = 10 * 1024;

/** The key for each answer: exactly one character, case matters. */
export const KEY_FOR: Record<Answer, string> = { 'allow-once': 'y', 'allow-always': 'A', deny: 'n', 'deny-always': 'D' };

/** The key that shows a question's details (a script's body), when it has any. */
export const SHOW_KEY = 's';

/** Details longer than this are cut (characters, before escaping). */
export const MAX_DETAILS_LENGTH = 4000;

const LABEL: Record<Answer, string> = {
  'allow-once': 'allow once',
  'allow-always': 'allow always',
  deny: 'deny',
  'deny-always': 'deny always',
};

const RESULT: Record<Answer, string> = {
  'allow-once': '✔ Allowed once.',
  'allow-always': '✔ Allowed; the grant will be added to the policy.',
  deny: '✘ Denied.',
  'deny-always': '✘ Denied; the refusal will be added to the policy.',
};

// Say whether a question is too large to show (a hostile name or path of many kilobytes).
export function isQuestionTooLong(q: Question): boolean {
  const bytes = [q.package, q.script, q.action, q.target, q.policyHint].reduce((n, s) => n + Buffer.byteLength(String(s)), 0);
  return bytes > MAX_QUESTION_BYTES;
}

// List the answers offered, in key order; deny is always among them.
export function offeredAnswers(q: Question): Answer[] {
  const wanted = new Set<Answer>(q.choices ?? ANSWERS);
  wanted.add('deny');
  return ANSWERS.filter((a) => wanted.has(a));
}

const show = (s: string, maxLength: number) => escapeForTerminal(String(s), { maxLength });

// Render the last line: the keys and what they mean.
export function formatChoices(q: Question): string {
  const offered = offeredAnswers(q);
  const keys = [...offered.map((a) => KEY_FOR[a]), ...(q.details ? [SHOW_KEY] : [])].join('/');
  const meanings = offered.map((a) => `${KEY_FOR[a]} = ${show(q.labels?.[a] ?? LABEL[a], 80)}`);
  if (q.details) meanings.push(`${SHOW_KEY} = ${show(q.details.label, 80)}`);
  return `┗ Allow? [${keys}] (${meanings.join(', ')}) > `;
}

// Render the whole question: who, what, how to avoid the question, and the choices.
export function formatQuestion(q: Question): string {
  return (
    `┏ ⚠ ${show(q.package, 256)} (${show(q.script, 64)}) wants to ${show(q.action, 64)} "${show(q.target, 2048)}".\n` +
    `┠─ The policy does not grant this. To allow it without being asked, add to the policy:\n` +
    `┠─   ${show(q.policyHint, 2048)}\n` +
    formatChoices(q)
  );
}

// Render a question's details under it, every line escaped and indented so none can pose as a prompt line.
export function formatDetails(q: Question): string {
  if (!q.details) return '';
  const text = escapeForTerminal(q.details.text, { multiline: true, maxLength: MAX_DETAILS_LENGTH }).replace(/\n+$/, '');
  return `\n${text.split('\n').map((line) => `┠─ │ ${line}`).join('\n')}\n${formatChoices(q)}`;
}

// Render the line that re-asks after a key that is not one of the choices.
export function formatReask(q: Question): string {
  const keys = [...offeredAnswers(q).map((a) => KEY_FOR[a]), ...(q.details ? [SHOW_KEY] : [])].join(', ');
  return `\n┠─ Unrecognised key: press exactly one of ${keys}.\n${formatChoices(q)}`;
}

// Render the line closing a question once answered.
export function formatResult(answer: Answer, reason?: string): string {
  return `${reason ? ` ${reason}` : ''}\n${RESULT[answer]}\n`;
}
