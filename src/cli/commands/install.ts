// `safe-install [install|ci|rebuild]`: run the install and print its summary.
import { resolve } from 'node:path';
import { runInstall } from '../../install/run-install.js';
import type { ParsedInstallArgs } from '../install-args.js';

// Run the install command and return the process exit code.
export async function runInstallCommand(args: ParsedInstallArgs): Promise<number> {
  const result = await runInstall({
    command: args.command,
    npmArgs: args.npmArgs,
    cwd: process.cwd(),
    env: process.env,
    reportFile: args.report ? resolve(args.report) : undefined,
    unsafeNoSandbox: args.unsafeNoSandbox,
    timeoutSeconds: args.timeoutSeconds,
    summary: !args.quiet,
    color: args.color,
  });
  if (!args.quiet) {
    for (const s of result.report.scripts) process.stderr.write(`${s.package} ${s.event} ${s.outcome} ${s.durationMs}ms\n`);
    process.stderr.write(`safe-install: report written to ${result.reportFile}\n`);
  }
  return result.exitCode;
}
