// Choose safe-install's exit status from the finished report (see docs/exit-codes.md):
// npm's own failure passes through; a failed script is 1; in --ci any deviation is 1.
import type { InstallReport } from '../report/types.js';

// Return the exit code for `report`.
export function chooseExitCode(report: InstallReport, { ci }: { ci: boolean }): number {
  if (report.npm.exitCode !== null && report.npm.exitCode !== 0) return report.npm.exitCode;
  const failed = report.scripts.some((s) => s.outcome === 'failed' || s.outcome === 'timeout' || s.outcome === 'killed' || s.outcome === 'error');
  if (failed) return 1;
  if (!ci || report.mode === 'audit') return 0;
  const deviation =
    report.events.some((e) => (e.decision === 'denied' || e.decision === 'asked-denied') && !e.expected) ||
    report.findings.some((f) => f.level === 'error') ||
    report.scripts.some((s) => s.outcome === 'denied' && !/denied by "/.test(s.reason ?? ''));
  return deviation ? 1 : 0;
}
