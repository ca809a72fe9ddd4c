// The catalogue of rule ids every machine-readable output shares (SARIF rules, annotation titles, summary rows).
// Ids are stable: CI configurations and SARIF baselines refer to them.

export type RuleLevel = 'error' | 'warning' | 'note';

export interface RuleInfo {
  id: string;
  /** A readable name, different from the id (SARIF wants them distinct). */
  name: string;
  /** One line: what the rule flags. */
  short: string;
  /** Why it matters and what to do. */
  full: string;
  level: RuleLevel;
}

export const RULES: readonly RuleInfo[] = [
  { id: 'script-failed', name: 'ScriptFailed', level: 'error', short: 'A lifecycle script failed',
    full: 'The script exited non-zero, timed out, was killed, or could not be started. Read its output tail in the JSON report.' },
  { id: 'script-denied', name: 'ScriptNotRun', level: 'warning', short: 'A lifecycle script was not run',
    full: 'The policy refused to run this script. If the package needs it, approve it in the policy (allowScripts) and grant what it needs.' },
  { id: 'secret-read', name: 'SecretRead', level: 'error', short: 'A script read or tried to read a secret',
    full: 'A script opened a credential file (~/.npmrc, ~/.ssh, ~/.aws, /proc/*/environ, ...) or read a secret-looking variable. Install scripts have no reason to; treat the package as suspect.' },
  { id: 'fs-write-denied', name: 'WriteDenied', level: 'error', short: 'A script tried to write outside its grant',
    full: 'A write, rename or delete was refused. Writes outside the package directory are how persistence (shell rc files, git hooks, workflows) and tampering with other packages happen.' },
  { id: 'fs-read-denied', name: 'ReadDenied', level: 'warning', short: 'A script tried to read a hidden path',
    full: 'A read was refused because the path is not visible in the sandbox. Grant it in the policy if the package needs it.' },
  { id: 'net-denied', name: 'NetworkDenied', level: 'error', short: 'A script tried to reach a host it has no grant for',
    full: 'A connection or name lookup was refused by the proxy. Grant the host:port in the policy if the download is expected.' },
  { id: 'proc-exec', name: 'ExecDenied', level: 'error', short: 'A script tried to start a program it has no grant for',
    full: 'Starting the program was refused. Downloaders (curl, wget) and other runtimes (bun, python) are common in second-stage payloads.' },
  { id: 'env-denied', name: 'EnvDenied', level: 'warning', short: 'A script asked for an environment variable it has no grant for',
    full: 'The variable was withheld from the script. Grant it by name in the policy if the package needs it.' },
  { id: 'tamper', name: 'WatchedFileChanged', level: 'error', short: 'A watched file changed during the install',
    full: 'A file a script should not touch (project root, .git, .github, HOME dotfiles, the npm cache) changed and no allowed event explains it.' },
  { id: 'drift', name: 'BehaviourDrift', level: 'error', short: 'A package behaves differently from the behaviour lock',
    full: 'A script body changed for the same package identity, or a new version gained capabilities. Review it, then run `safe-install lock update`.' },
  { id: 'exotic-source', name: 'ExoticSource', level: 'warning', short: 'A package comes from outside the registry',
    full: 'A git, URL or file dependency bypasses the registry and its scanning. Pin it by integrity or replace it.' },
  { id: 'sandbox-degraded', name: 'SandboxDegraded', level: 'warning', short: 'Scripts ran with a weaker sandbox',
    full: 'The full sandbox was unavailable, so scripts ran in a degraded mode that does not confine them as well.' },
];

// Look up a rule, or describe an unknown finding rule so every result still has a rule.
export function ruleInfo(id: string, level: RuleLevel = 'warning'): RuleInfo {
  return RULES.find((rule) => rule.id === id) ?? { id, name: `Finding${id.split(/[^A-Za-z0-9]+/).filter(Boolean).map((part) => part[0].toUpperCase() + part.slice(1)).join('')}`, level, short: `Finding: ${id}`, full: `Reported by safe-install under the rule "${id}".` };
}
