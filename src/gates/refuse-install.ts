// End the run without starting npm because a gate refused (or the pre-pass failed): a report with the
// gate findings, exit 1 (npm's own status when its resolution failed).
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { writeJsonReport } from '../report/index.js';
import type { InstallReport } from '../report/types.js';
import type { InstallResult } from '../install/run-install.js';
import type { TreeCheck } from './check-tree-before-scripts.js';

export interface RefuseInstallInput {
  gates: TreeCheck;
  command: string[];
  projectDir: string;
  startedAt: Date;
  mode: 'enforce' | 'audit';
  reportFile: string;
  toolVersion: string;
}

// Write the report of an install that stopped at the gates and return its result.
export async function refuseInstall(input: RefuseInstallInput): Promise<InstallResult> {
  const failed = input.gates.failed;
  const exitCode = failed ? failed.exitCode || 1 : 1;
  const report: InstallReport = {
    version: 1,
    tool: { name: 'safe-install', version: input.toolVersion },
    command: input.command,
    projectDir: input.projectDir,
    startedAt: input.startedAt.toISOString(),
    durationMs: Date.now() - input.startedAt.getTime(),
    npm: { version: 'unknown', exitCode: failed ? failed.exitCode : null },
    mode: input.mode,
    // Nothing ran, confined or not: `bwrap` keeps the summary from reading "NO SANDBOX".
    sandbox: { kind: 'bwrap', tracing: 'off', detail: failed ? 'not started: npm could not resolve the tree (npm install --package-lock-only failed)' : 'not started: a gate refused the install before npm ran' },
    scripts: [],
    events: [],
    findings: input.gates.findings,
    exitCode,
  };
  mkdirSync(dirname(input.reportFile), { recursive: true });
  await writeJsonReport(report, input.reportFile);
  return { exitCode, report, reportFile: input.reportFile };
}
