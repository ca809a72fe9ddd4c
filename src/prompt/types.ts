// The prompter's vocabulary: one question about one action, and a closed set of answers.

/** What the person decided. `allow-always` / `deny-always` are written into the policy by the caller. */
export type Answer = 'allow-once' | 'allow-always' | 'deny' | 'deny-always';

export const ANSWERS: readonly Answer[] = ['allow-once', 'allow-always', 'deny', 'deny-always'];

/** One action a sandboxed script attempted that the policy neither grants nor refuses. */
export interface Question {
  /** `name@version` from the lockfile. Untrusted: shown escaped and cut. */
  package: string;
  /** Lifecycle event: preinstall, install, postinstall, prepare, ... */
  script: string;
  /** A verb phrase: `connect to`, `write`, `read`, `run`, `delete`, `read the variable`. */
  action: string;
  /** What the action is on: a host path, `host:port`, an executable, a variable name. Untrusted. */
  target: string;
  /** The policy line that would avoid this question next time (and that `allow-always` adds). */
  policyHint: string;
  /**
   * Which answers to offer. `deny` is always accepted, offered or not.
   * @default all four
   */
  choices?: Answer[];
  /** Words for the answers where the generic ones read badly (`run sandboxed` for `allow-once`). */
  labels?: Partial<Record<Answer, string>>;
  /**
   * Longer text the person may read before answering, shown when they press `s` (a script's body).
   * Untrusted: shown escaped, every line indented under the question, cut to 4000 characters.
   */
  details?: { label: string; text: string };
}

/** Asks a person (or a script, in tests) about an action; never throws for a terminal problem: it denies. */
export interface Prompter {
  ask(question: Question): Promise<Answer>;
}
