// Count what a report holds in one phrase, shared by the human summary and the step summary:
// `3 scripts (1 ok, 1 failed, 1 denied), 6 denied actions, 2 findings (1 error)`.
import type { InstallReport } from './types.js';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

// Summarise scripts by outcome, denied actions and findings.
export function summarizeCounts(report: InstallReport): string {
  const outcomes = new Map<string, number>();
  for (const s of report.scripts) outcomes.set(s.outcome, (outcomes.get(s.outcome) ?? 0) + 1);
  const scripts = report.scripts.length === 0
    ? 'no scripts'
    : `${plural(report.scripts.length, 'script')} (${[...outcomes].map(([outcome, n]) => `${n} ${outcome}`).join(', ')})`;
  // Refused tool start-up lookups (npm reading ~/.npmrc) are not counted: they are not deviations.
  const denied = report.events.filter((e) => (e.decision === 'denied' || e.decision === 'asked-denied') && !e.expected).length;
  const errors = report.findings.filter((f) => f.level === 'error').length;
  const findings = `${plural(report.findings.length, 'finding')}${errors ? ` (${plural(errors, 'error')})` : ''}`;
  return `${scripts}, ${plural(denied, 'denied action')}, ${findings}`;
}
