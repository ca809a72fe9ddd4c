// Say in a few words what safe-install's exit status means; docs/exit-codes.md is the long form.
import type { InstallReport } from './types.js';

// Explain the exit code a report ended with.
export function explainExitCode(report: Pick<InstallReport, 'exitCode' | 'npm'>): string {
  switch (report.exitCode) {
    case 0: return 'exit 0: clean';
    case 1:
      // npm also exits 1 when a script fails, so name both when npm failed too.
      return report.npm.exitCode ? `exit 1: policy deviation or failed script (npm exited ${report.npm.exitCode})` : 'exit 1: policy deviation or failed script';
    case 2: return 'exit 2: usage or policy error';
    case 3: return 'exit 3: sandbox unavailable';
    default:
      return report.npm.exitCode === report.exitCode
        ? `exit ${report.exitCode}: npm failed (its own exit code)`
        : `exit ${report.exitCode}`;
  }
}
