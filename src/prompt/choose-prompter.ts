// Pick the prompter for a run: nobody is asked under --ci or without a terminal.
import { createTtyPrompter } from './create-tty-prompter.js';
import { denyPrompter } from './deny-prompter.js';
import type { Prompter } from './types.js';

// Choose the TTY prompter when stdin and stderr are terminals and --ci is off, else deny every question.
export function choosePrompter({ ci = false }: { ci?: boolean } = {}): Prompter {
  if (ci || !process.stdin.isTTY || !process.stderr.isTTY) return denyPrompter;
  return createTtyPrompter();
}
