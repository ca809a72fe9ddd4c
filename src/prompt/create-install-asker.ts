// The install's side of prompting: turn a script's request into a question, remember "always"
// answers for the rest of the run, and write them into the policy file.
import { readFile } from 'node:fs/promises';
import type { LoadedPolicy } from '../policy/loaded-policy.js';
import { escapeForTerminal } from '../text/escape-for-terminal.js';
import { netQuestion, runQuestion, writeQuestion, type ScriptSubject } from './install-questions.js';
import { saveAnswer, type PolicyAnswer } from './save-answer.js';
import { generalizeWrite, type LearnContext } from '../learn/generalize-write.js';
import type { Answer, Prompter, Question } from './types.js';

export interface InstallAskerOptions {
  prompter: Prompter;
  /** The policy as loaded for this run (known packages, to keep their grants in a new entry). */
  policy: LoadedPolicy;
  /** Where "always" answers are written; created when absent. */
  policyFile: string;
  /** Show a line to the person (policy writes, failures to write). @default process.stderr */
  note?: (line: string) => void;
  /** HOME, the npm cache and the project, to turn a written path into a policy pattern. */
  ctx?: LearnContext;
  /** Runs each question; the progress display passes one that clears its lines meanwhile. */
  pause?: <T>(ask: () => Promise<T>) => Promise<T>;
}

/** A write grant offered at a prompt. */
export interface WriteOffer {
  /** The absolute path written (a file) or offered (a directory). */
  path: string;
  /** The policy pattern for `path`. @default from generalizeWrite (none: allow once only) */
  pattern?: string;
  /** The refused writes that led to the offer (untrusted paths). @default [path] */
  attempted?: string[];
  /** The script already ended and would run again with the grant (process tier). @default false: it waits */
  rerun?: boolean;
}

export interface InstallAsker {
  /** The policy says `ask` for this package's scripts: run it (sandboxed) or skip it? */
  askToRun(script: ScriptSubject): Promise<boolean>;
  /** The proxy holds a connection to a destination no grant covers. */
  askNet(script: ScriptSubject, host: string, port: number): Promise<boolean>;
  /** May the script write there (isolate tier: it waits), or be re-run with it writable (process tier)? */
  askWrite(script: ScriptSubject, offer: WriteOffer): Promise<boolean>;
  /** The grant a yes to `askWrite` gives: the directory a pattern stands for, or the path itself. */
  writeGrant(offer: WriteOffer): { pattern?: string; path: string };
  /** Add what "allow always" granted earlier in this run to a later script's plan of the same package. */
  widen<P extends { grant: { net: string[]; write: string[] } }>(identity: ScriptSubject['identity'], plan: P): P;
  /** Wait until every policy write has finished. */
  settle(): Promise<void>;
  /** The policy file and its temporary files, for the tamper check, while it holds what this run wrote. */
  ownedPaths(): Promise<string[]>;
  /** One line per change written into the policy file this run. */
  readonly written: string[];
}

const yes = (a: Answer) => a === 'allow-once' || a === 'allow-always';
const always = (a: Answer) => a === 'allow-always' || a === 'deny-always';

// Create the asker for one install.
export function createInstallAsker(options: InstallAskerOptions): InstallAsker {
  const note = options.note ?? ((line: string) => void process.stderr.write(`${line}\n`));
  const remembered = new Map<string, boolean>();
  const written: string[] = [];
  let writes: Promise<void> = Promise.resolve();
  let lastText: string | undefined;

  // Queue one policy write; a failure is told, never thrown into the proxy or the controller.
  function save(answer: PolicyAnswer, describe: string): Promise<void> {
    writes = writes.then(async () => {
      try {
        const { notes, text } = await saveAnswer(options.policyFile, options.policy, answer);
        lastText = text;
        for (const n of notes) note(`safe-install: ${escapeForTerminal(n, { maxLength: 300 })}`);
        written.push(describe);
        note(`safe-install: policy ${escapeForTerminal(options.policyFile, { maxLength: 300 })}: ${escapeForTerminal(describe, { maxLength: 300 })}`);
      } catch (error) {
        note(`safe-install: could not write the policy (${escapeForTerminal(String((error as Error)?.message ?? error), { maxLength: 300 })}); the answer applies to this run only`);
      }
    });
    return writes;
  }

  // Ask unless an "always" answer for the same thing was given earlier in this run.
  async function ask(memo: string, question: Question, onAlways?: (answer: Answer) => PolicyAnswer | undefined, describe?: (answer: Answer) => string): Promise<boolean> {
    const known = remembered.get(memo);
    if (known !== undefined) return known;
    const turn = async () => {
      const answer = await options.prompter.ask(question);
      if (always(answer)) {
        remembered.set(memo, yes(answer));
        const change = onAlways?.(answer);
        // Wait for the write: the next question or the summary must see the file as it now is.
        if (change) await save(change, describe!(answer));
      }
      return yes(answer);
    };
    // The progress display stays cleared until the answer and its notes are on screen.
    return options.pause ? options.pause(turn) : turn();
  }

  // The pattern is given, or derived from the path; a path no pattern may cover is offered as itself, once.
  function writeGrant(offer: WriteOffer): { pattern?: string; path: string } {
    if (offer.pattern) return { pattern: offer.pattern, path: offer.path };
    const w = options.ctx ? generalizeWrite(offer.path, options.ctx) : undefined;
    return w && 'pattern' in w ? w : { path: offer.path };
  }
  const id = (s: { identity: ScriptSubject['identity'] }) => `${s.identity.name}@${s.identity.version}`;
  const granted = new Map<string, { net: string[]; write: string[] }>();
  const grant = (s: ScriptSubject, list: 'net' | 'write', value: string) => {
    const g = granted.get(id(s)) ?? { net: [], write: [] };
    if (!g[list].includes(value)) g[list].push(value);
    granted.set(id(s), g);
  };
  return {
    written,
    widen(identity, plan) {
      const g = granted.get(id({ identity }));
      if (g) for (const list of ['net', 'write'] as const) for (const v of g[list]) if (!plan.grant[list].includes(v)) plan.grant[list].push(v);
      return plan;
    },
    askToRun: (s) =>
      ask(`${id(s)}\0run`, runQuestion(s),
        (a) => (s.identity.isRoot ? undefined : { kind: 'run', name: s.identity.name, run: a === 'allow-always' }),
        (a) => `${a === 'allow-always' ? 'approved' : 'denied'} the scripts of ${s.identity.name}`),
    askNet: (s, host, port) => {
      const question = netQuestion(s, host, port);
      return ask(`${id(s)}\0net\0${question.target}`, question,
        (a) => {
          if (a !== 'allow-always') return undefined;
          grant(s, 'net', question.target);
          return { kind: 'grant', ...s.identity, list: 'net', value: question.target };
        },
        () => `${s.identity.isRoot ? 'root' : s.identity.name} may reach ${question.target}`);
    },
    writeGrant,
    askWrite: (s, offer) => {
      const { pattern, path } = writeGrant(offer);
      return ask(`${id(s)}\0write\0${pattern ?? path}`, writeQuestion(s, { pattern, path: offer.path, attempted: offer.attempted ?? [offer.path] }, { rerun: offer.rerun ?? false }),
        (a) => {
          if (a !== 'allow-always' || !pattern) return undefined;
          grant(s, 'write', path);
          return { kind: 'grant', ...s.identity, list: 'write', value: pattern };
        },
        () => `${s.identity.isRoot ? 'root' : s.identity.name} may write ${pattern}`);
    },
    settle: () => writes,
    async ownedPaths() {
      await writes;
      if (lastText === undefined) return [];
      // Only while the file holds exactly what was written here: a script that changed it is still reported.
      const now = await readFile(options.policyFile, 'utf8').catch(() => undefined);
      return now === lastText ? [options.policyFile, `${options.policyFile}.*`] : [];
    },
  };
}
