// Turn a report into the flat list of results that SARIF, GitHub annotations and the step summary show:
// failed or refused scripts, denied (and secret) events, tamper events, and findings.
import type { SandboxEvent } from '../events/types.js';
import type { InstallReport, ScriptRecord } from './types.js';
import { isSecretTarget } from './is-secret-target.js';
import { ruleInfo, type RuleLevel } from './rules.js';

/** One result. `message` is raw text with package-derived parts: each renderer escapes it for its medium. */
export interface ReportResult {
  ruleId: string;
  level: RuleLevel;
  message: string;
  /** `name@version` the result is about, when there is one. */
  package?: string;
  /** Package path relative to the project root (`node_modules/foo`, `` for the root project). */
  path?: string;
  script?: string;
}

const ACTION: Record<string, string> = {
  'fs.read': 'read of',
  'fs.write': 'write to',
  'fs.delete': 'delete of',
  'net.connect': 'connection to',
  'net.dns': 'name lookup of',
  'proc.exec': 'running',
  'env.read': 'reading the variable',
};

const DECIDED: Record<string, string> = {
  denied: 'was denied',
  'asked-denied': 'was refused at the prompt',
  allowed: 'was allowed',
  'asked-allowed': 'was allowed at the prompt',
};

// Collect every result in report order: scripts, then events, then findings.
export function collectResults(report: InstallReport): ReportResult[] {
  return [
    ...report.scripts.flatMap(scriptResult),
    ...eventResults(report.events),
    ...report.findings.map((finding): ReportResult => ({
      ruleId: finding.rule,
      level: finding.level,
      message: finding.package ? `${finding.package}: ${finding.message}` : finding.message,
      package: finding.package,
      path: finding.path ?? report.scripts.find((s) => s.package === finding.package)?.path,
    })),
  ];
}

// A script that did not end well is one result; a clean one is none.
function scriptResult(script: ScriptRecord): ReportResult[] {
  const who = `${script.package} ${script.event}`;
  const why = script.reason ? `: ${script.reason}` : '';
  let message: string;
  switch (script.outcome) {
    case 'ok': return [];
    case 'denied': return [{ ruleId: 'script-denied', level: ruleInfo('script-denied').level, message: `${who} was not run${why}`, package: script.package, path: script.path, script: script.event }];
    case 'failed': message = `${who} failed with exit code ${script.exitCode ?? 'unknown'}${why}`; break;
    case 'timeout': message = `${who} timed out after ${script.durationMs} ms${why}`; break;
    case 'killed': message = `${who} was killed${script.signal ? ` by ${script.signal}` : ''}${why}`; break;
    case 'error': message = `${who} could not be run${why}`; break;
  }
  return [{ ruleId: 'script-failed', level: 'error', message, package: script.package, path: script.path, script: script.event }];
}

// Pick the rule for an event, or none when the event is unremarkable.
function ruleForEvent(event: SandboxEvent): string | undefined {
  if (event.kind === 'tamper') return 'tamper';
  const secret = isSecretTarget(event.kind, event.target);
  if (secret) return 'secret-read';
  if (event.decision !== 'denied' && event.decision !== 'asked-denied') return undefined;
  switch (event.kind) {
    case 'fs.read': return 'fs-read-denied';
    case 'env.read': return 'env-denied';
    case 'fs.write': case 'fs.delete': return 'fs-write-denied';
    case 'net.connect': case 'net.dns': return 'net-denied';
    case 'proc.exec': return 'proc-exec';
  }
}

// One result per distinct (package, script, kind, target, decision); repeats are counted, not listed.
function eventResults(events: SandboxEvent[]): ReportResult[] {
  const seen = new Map<string, { result: ReportResult; count: number }>();
  for (const event of events) {
    if (event.expected) continue; // a tool's usual start-up in the sandbox, not a finding
    const ruleId = ruleForEvent(event);
    if (!ruleId) continue;
    const key = JSON.stringify([event.package, event.path, event.script, event.kind, event.target, event.decision]);
    const entry = seen.get(key);
    if (entry) { entry.count += 1; continue; }
    const allowed = event.decision === 'allowed' || event.decision === 'asked-allowed';
    const what = event.kind === 'tamper'
      ? `${event.target} changed during the install`
      : `${ACTION[event.kind]} ${event.target} ${DECIDED[event.decision]}`;
    const detail = event.detail ? ` (${event.detail})` : '';
    seen.set(key, {
      count: 1,
      result: {
        ruleId,
        // An allowed secret read was granted by someone: worth a look, not a failure.
        level: allowed && ruleId === 'secret-read' ? 'warning' : ruleInfo(ruleId).level,
        message: `${event.package} ${event.script}: ${what}${detail}`,
        package: event.package,
        path: event.path,
        script: event.script,
      },
    });
  }
  return [...seen.values()].map(({ result, count }) => (count > 1 ? { ...result, message: `${result.message} (${count} times)` } : result));
}
