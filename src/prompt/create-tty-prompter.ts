// Ask a person at the terminal, one question at a time, in the manner of Deno's permission prompter.
import type { ReadStream } from 'node:tty';
import { escapeForTerminal } from '../text/escape-for-terminal.js';
import { formatDetails, formatQuestion, formatReask, formatResult, isQuestionTooLong, MAX_QUESTION_BYTES } from './format-question.js';
import { openKeyReader } from './key-reader.js';
import { parseKey } from './parse-key.js';
import type { Answer, Prompter, Question } from './types.js';

/** Unrecognised keys re-ask at most this many times; the next one denies. */
export const MAX_REASKS = 3;

export interface TtyPrompterOptions {
  /** Where keys come from; must be a TTY or every question is denied. @default process.stdin */
  input?: NodeJS.ReadableStream & { isTTY?: boolean };
  /** Where questions go; must be a TTY or every question is denied. @default process.stderr */
  output?: NodeJS.WritableStream & { isTTY?: boolean };
}

type Outcome = { answer: Answer; interrupted?: boolean };

// Ask one question on a terminal already checked to be one. Restores the terminal on every path.
async function askOnTerminal(input: ReadStream, output: NodeJS.WritableStream, q: Question): Promise<Outcome> {
  if (isQuestionTooLong(q)) {
    output.write(`✘ Denied: a question from ${escapeForTerminal(String(q.package), { maxLength: 100 })} exceeded ${MAX_QUESTION_BYTES} bytes.\n`);
    return { answer: 'deny' };
  }
  let keys;
  try {
    keys = openKeyReader(input);
  } catch {
    return { answer: 'deny' }; // cannot enter raw mode: do not guess
  }
  try {
    await keys.flush();
    // One write per prompt, so output from elsewhere cannot land in the middle of it.
    output.write(formatQuestion(q));
    for (let reasks = 0; ; reasks++) {
      const chunk = await keys.next();
      const key = chunk === undefined ? { eof: true as const } : parseKey(chunk, q);
      if ('answer' in key) {
        output.write(formatResult(key.answer));
        return { answer: key.answer };
      }
      if ('show' in key) {
        // Not a wrong key: show the text, drain whatever came with the key, and ask again.
        await keys.flush();
        output.write(formatDetails(q));
        reasks--;
        continue;
      }
      if ('interrupt' in key) {
        output.write(formatResult('deny', '^C'));
        return { answer: 'deny', interrupted: true };
      }
      if ('eof' in key) {
        output.write(formatResult('deny', '(end of input)'));
        return { answer: 'deny' };
      }
      if (reasks >= MAX_REASKS) {
        output.write(formatResult('deny', '(too many unrecognised keys)'));
        return { answer: 'deny' };
      }
      // Flush between reads too: the rest of a paste or an escape sequence must not answer.
      await keys.flush();
      output.write(formatReask(q));
    }
  } catch {
    return { answer: 'deny' };
  } finally {
    keys.restore();
  }
}

// Create a prompter for the terminal: denies without a TTY, asks one question at a time, escapes
// every shown string, flushes type-ahead, reads exactly one key in raw mode, and treats Ctrl-C as
// deny followed by SIGINT for the process once the terminal is restored.
export function createTtyPrompter({ input = process.stdin, output = process.stderr }: TtyPrompterOptions = {}): Prompter {
  let queue: Promise<unknown> = Promise.resolve();
  let interrupted = false;
  const isTerminal = input.isTTY === true && output.isTTY === true && typeof (input as ReadStream).setRawMode === 'function';

  return {
    ask(question) {
      const turn = queue.then(async (): Promise<Answer> => {
        // After Ctrl-C the person wants out: no more questions.
        if (!isTerminal || interrupted) return 'deny';
        const outcome = await askOnTerminal(input as ReadStream, output, question);
        if (outcome.interrupted) {
          interrupted = true;
          // After the caller has seen the denial, and with the terminal already restored.
          setImmediate(() => process.kill(process.pid, 'SIGINT'));
        }
        return outcome.answer;
      });
      queue = turn.catch(() => undefined);
      return turn.catch((): Answer => 'deny');
    },
  };
}
