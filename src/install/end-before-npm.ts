// End a run before npm starts (--ci refused unapproved scripts, a gate refused, the pre-pass failed):
// write the report with its findings and return the result. Nothing ran, confined or not.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { writeJsonReport } from '../report/index.js';
import type { Finding, InstallReport } from '../report/types.js';
import type { InstallResult } from './run-install.js';

/** What every run knows before npm starts: enough for its report. */
export interface RunBeforeNpm {
  command: string[];
  projectDir: string;
  startedAt: Date;
  mode: 'enforce' | 'audit';
  reportFile: string;
  toolVersion: string;
}

export interface EndBeforeNpmInput extends RunBeforeNpm {
  /** Why nothing ran, shown as the sandbox detail. */
  why: string;
  findings: Finding[];
  exitCode: number;
  /** npm's status when npm itself failed (the pre-pass), else null: npm never ran. */
  npmExitCode?: number | null;
  npmVersion?: string;
}

// Write the report of a run that stopped before npm and return its result.
export async function endBeforeNpm(input: EndBeforeNpmInput): Promise<InstallResult> {
  const report: InstallReport = {
    version: 1,
    tool: { name: 'safe-install', version: input.toolVersion },
    command: input.command,
    projectDir: input.projectDir,
    startedAt: input.startedAt.toISOString(),
    durationMs: Date.now() - input.startedAt.getTime(),
    npm: { version: input.npmVersion ?? 'unknown', exitCode: input.npmExitCode ?? null },
    mode: input.mode,
    // `bwrap`, not `none`: no script ran unconfined, and the summary must not read "NO SANDBOX".
    sandbox: { kind: 'bwrap', tracing: 'off', detail: `not started: ${input.why}` },
    scripts: [],
    events: [],
    findings: input.findings,
    exitCode: input.exitCode,
  };
  mkdirSync(dirname(input.reportFile), { recursive: true });
  await writeJsonReport(report, input.reportFile);
  return { exitCode: input.exitCode, report, reportFile: input.reportFile };
}
