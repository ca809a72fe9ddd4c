// The prompter for when nobody can be asked (no TTY, --ci): every question is denied at once.
import type { Prompter } from './types.js';

export const denyPrompter: Prompter = {
  async ask() {
    return 'deny';
  },
};
