// The questions an install asks, built from the script that asks (pure): run it, reach a host,
// re-run it with a write grant. Every string from the package stays raw here; the prompter escapes it.
import { isIP } from 'node:net';
import { classifyAddress } from '../sandbox/process/proxy/classify-address.js';
import { formatHostPort } from '../sandbox/process/proxy/normalize-host.js';
import { inlineJson } from '../policy/edit-policy.js';
import type { Question } from './types.js';

/** The script a question is about: the controller's ActiveScript has this shape. */
export interface ScriptSubject {
  identity: { name: string; version: string; isRoot: boolean };
  event: string;
  command: string;
}

/** The action of a run question, so a non-human prompter can tell it apart. */
export const RUN_ACTION = 'run its script';

const who = (s: ScriptSubject) => `${s.identity.name}@${s.identity.version}`;

// The policy text that grants one item, as shown in the hint.
function grantHint(s: ScriptSubject, list: string, value: string): string {
  const allow = inlineJson({ allow: { [list]: [value] } });
  return s.identity.isRoot ? `"root": ${allow}` : `"packages": { ${JSON.stringify(s.identity.name)}: ${allow} }`;
}

// May this script run at all (the policy says `ask` for its package)?
export function runQuestion(s: ScriptSubject): Question {
  return {
    package: who(s),
    script: s.event,
    action: RUN_ACTION,
    target: s.command,
    policyHint: `"packages": { ${JSON.stringify(s.identity.name)}: {} }   (or: safe-install approve ${s.identity.name})`,
    labels: { 'allow-once': 'run sandboxed', 'allow-always': 'run, and approve in the policy', deny: 'skip', 'deny-always': 'skip, and deny in the policy' },
    details: { label: 'show the script', text: s.command },
  };
}

// May this script's connection to host:port go through (the proxy holds it meanwhile)?
export function netQuestion(s: ScriptSubject, host: string, port: number): Question {
  const target = formatHostPort(host, port);
  const cls = isIP(host) ? classifyAddress(host) : undefined;
  return {
    package: who(s),
    script: s.event,
    action: cls ? `connect to ${cls} address` : 'connect to',
    target,
    policyHint: grantHint(s, 'net', target),
  };
}

// May this script write here? `rerun`: the process tier cannot pause a write, so the script ended and is
// offered a second run with the path writable; otherwise the script (isolate tier) waits for the answer.
// Without a pattern (a start-up file, credentials, another package) "allow always" is not offered.
export function writeQuestion(s: ScriptSubject, offer: { pattern?: string; path: string; attempted: string[] }, { rerun }: { rerun: boolean }): Question {
  const target = offer.pattern ?? offer.path;
  return {
    package: who(s),
    script: s.event,
    action: rerun ? 'be re-run with write access to' : 'write',
    target,
    policyHint: offer.pattern ? grantHint(s, 'write', offer.pattern) : 'nothing: safe-install does not write a grant for this path',
    choices: offer.pattern ? undefined : ['allow-once', 'deny'],
    labels: rerun
      ? { 'allow-once': 're-run with the grant', 'allow-always': 're-run, and add the grant to the policy', deny: 'keep the result', 'deny-always': 'keep, and do not ask again this run' }
      : undefined,
    details: rerun || offer.attempted.length > 1 || offer.attempted[0] !== target ? { label: 'show what it tried to write', text: offer.attempted.join('\n') } : undefined,
  };
}
