// `safe-install [install|ci|rebuild]`: run the install, print its summary, write the reports.
import { resolve, join } from 'node:path';
import { readFileSync } from 'node:fs';
import writeFileAtomic from 'write-file-atomic';
import { runInstall } from '../../install/run-install.js';
import { renderHuman, toSarif, publishToGithub } from '../../report/index.js';
import { escapeForTerminal } from '../../text/escape-for-terminal.js';
import type { ParsedInstallArgs } from '../install-args.js';
import { chooseProgressMode, createProgress } from '../../progress/create-progress.js';

// Run the install command and return the process exit code.
export async function runInstallCommand(args: ParsedInstallArgs): Promise<number> {
  const progress = createProgress({ mode: chooseProgressMode({ tty: Boolean(process.stderr.isTTY), quiet: args.quiet, env: process.env }), verbose: args.verbose });
  const result = await runInstall({
    command: args.command,
    npmArgs: args.npmArgs,
    cwd: process.cwd(),
    env: process.env,
    policyFile: args.policy ? resolve(args.policy) : undefined,
    reportFile: args.report ? resolve(args.report) : undefined,
    unsafeNoSandbox: args.unsafeNoSandbox,
    timeoutSeconds: args.timeoutSeconds,
    trace: args.trace,
    ci: args.ci,
    audit: args.audit,
    interactive: args.interactive,
    progress,
  }).finally(() => progress.stop());
  const { report } = result;
  const lockfileText = readText(join(report.projectDir, 'package-lock.json'));
  if (args.sarif) await writeFileAtomic(resolve(args.sarif), `${JSON.stringify(toSarif(report, { lockfileText }), null, 2)}\n`);
  await publishToGithub(report, { lockfileText });
  if (!args.quiet) {
    process.stderr.write(`\n${renderHuman(report, { color: args.color, verbose: args.verbose })}\n`);
    process.stderr.write(`report: ${escapeForTerminal(result.reportFile)}\n`);
  }
  return result.exitCode;
}

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
