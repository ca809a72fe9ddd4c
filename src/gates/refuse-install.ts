// End the run without starting npm because a gate refused (or the pre-pass failed): a report with the
// gate findings, exit 1 (npm's own status when its resolution failed).
import { endBeforeNpm, type RunBeforeNpm } from '../install/end-before-npm.js';
import type { InstallResult } from '../install/run-install.js';
import type { TreeCheck } from './check-tree-before-scripts.js';

export interface RefuseInstallInput extends RunBeforeNpm {
  gates: TreeCheck;
}

// Write the report of an install that stopped at the gates and return its result.
export function refuseInstall(input: RefuseInstallInput): Promise<InstallResult> {
  const failed = input.gates.failed;
  return endBeforeNpm({
    ...input,
    why: failed ? 'npm could not resolve the tree (npm install --package-lock-only failed)' : 'a gate refused the install before npm ran',
    findings: input.gates.findings,
    exitCode: failed ? failed.exitCode || 1 : 1,
    npmExitCode: failed ? failed.exitCode : null,
  });
}
