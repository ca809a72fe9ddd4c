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

// Re-run this script with write access to a path it was refused (the process tier cannot pause a write)?
export function writeQuestion(s: ScriptSubject, pattern: string, attempted: string[]): Question {
  return {
    package: who(s),
    script: s.event,
    action: 'be re-run with write access to',
    target: pattern,
    details: { label: 'show what it tried to write', text: attempted.join('\n') },
    policyHint: grantHint(s, 'write', pattern),
    labels: { 'allow-once': 're-run with the grant', 'allow-always': 're-run, and add the grant to the policy', deny: 'keep the result', 'deny-always': 'keep, and do not ask again this run' },
  };
}
