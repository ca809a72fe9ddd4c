// Turn gate results into report findings: allow is listed, deny refuses the install, ask goes to the
// person at the terminal (one question at a time) and is refused when nobody can answer. In audit mode
// nothing is refused; what would have been is reported as a warning.
import type { Prompter } from '../prompt/types.js';
import type { Finding } from '../report/types.js';
import type { GateResult } from './types.js';

export type GateOutcome = 'allowed' | 'denied' | 'asked-allowed' | 'asked-denied' | 'not-asked' | 'audited';

export interface SettledGates {
  findings: Finding[];
  /** A gate refused: npm must not run (or, after npm, the result is a failure). */
  refused: boolean;
  outcomes: { result: GateResult; outcome: GateOutcome }[];
}

export interface SettleOptions {
  prompter: Prompter;
  /** Someone can answer (a terminal, not --ci). Without one, `ask` is refused without asking. */
  interactive: boolean;
  audit: boolean;
}

// Decide every result, asking about `ask` ones in order; after the first refusal nothing more is asked.
export async function settleGates(results: GateResult[], options: SettleOptions): Promise<SettledGates> {
  const outcomes: SettledGates['outcomes'] = [];
  let refused = false;
  for (const result of results) {
    let outcome: GateOutcome;
    if (result.decision === 'allow') outcome = 'allowed';
    else if (options.audit) outcome = 'audited';
    else if (result.decision === 'deny') outcome = 'denied';
    else if (refused) outcome = 'not-asked';
    else if (!options.interactive) outcome = 'asked-denied';
    else {
      const answer = await options.prompter.ask({
        package: result.package,
        script: result.rule,
        action: result.question.action,
        target: result.question.target,
        policyHint: result.question.policyHint,
        choices: ['allow-once', 'deny'],
      });
      outcome = answer === 'allow-once' || answer === 'allow-always' ? 'asked-allowed' : 'asked-denied';
    }
    if (outcome === 'denied' || outcome === 'asked-denied') refused = true;
    outcomes.push({ result, outcome });
  }
  return { findings: outcomes.map(({ result, outcome }) => toFinding(result, outcome, options.interactive)), refused, outcomes };
}

// One finding per result: the message, then what was decided and why.
export function toFinding(result: GateResult, outcome: GateOutcome, interactive: boolean): Finding {
  const [level, verdict]: [Finding['level'], string] = (() => {
    switch (outcome) {
      case 'allowed': return ['note', `Allowed: ${result.reason}.`];
      case 'asked-allowed': return ['warning', `Allowed at the prompt (${result.reason}).`];
      case 'audited': return ['warning', `Audit mode: not refused, but enforce mode would ${result.decision === 'deny' ? 'refuse it' : 'ask'} (${result.reason}).`];
      case 'denied': return ['error', `Refused: ${result.reason}.`];
      case 'asked-denied': return ['error', interactive ? `Refused at the prompt (${result.reason}).` : `Refused: ${result.reason}, nobody to ask (--ci or no terminal).`];
      case 'not-asked': return ['error', `Not asked, the install was already refused (${result.reason}).`];
    }
  })();
  const hint = level === 'note' ? '' : ` Policy: ${result.question.policyHint}`;
  return { rule: result.rule, level, package: result.package, path: result.path, message: `${result.message}. ${verdict}${hint}` };
}
