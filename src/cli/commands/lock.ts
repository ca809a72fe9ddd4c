// `safe-install lock update [--report FILE]`: after reviewing drift, record the last install's script
// hashes and behaviour in safe-install.lock.json. Errors are thrown for the one renderer.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { SafeInstallError } from '../../errors.js';
import { findProjectDir } from '../../install/find-project-dir.js';
import { readSavedReport } from '../../report/index.js';
import { updateLock, LOCK_FILE_NAME } from '../../lock/index.js';
import { escapeForTerminal } from '../../text/escape-for-terminal.js';

export interface LockUpdateArgs {
  /** The JSON report of the install to record. @default <project>/node_modules/.safe-install/report.json */
  report?: string;
  /** @default process.cwd() */
  cwd?: string;
  /** @default process.env */
  env?: NodeJS.ProcessEnv;
  /** @default process.stdout.write */
  write?: (text: string) => void;
}

// Record the report in the lock and print what changed; returns the exit code.
export async function runLockUpdate(args: LockUpdateArgs): Promise<number> {
  const cwd = args.cwd ?? process.cwd();
  const env = args.env ?? process.env;
  const write = args.write ?? ((text: string) => void process.stdout.write(text));
  const projectDir = findProjectDir(cwd, undefined);
  const reportFile = args.report ? resolve(cwd, args.report) : join(projectDir, 'node_modules', '.safe-install', 'report.json');
  if (!existsSync(reportFile)) {
    throw new SafeInstallError('EUSAGE', `no install report at ${reportFile}`, {
      hint: 'run `safe-install install` (or `safe-install ci`) first: lock update records what that install saw. Or pass --report FILE.',
    });
  }
  const report = await readSavedReport(reportFile);
  const home = env.HOME ? resolve(env.HOME) : undefined;
  const cache = resolve(env.npm_config_cache ?? join(home ?? '/nonexistent', '.npm'));
  const result = await updateLock({ report, projectDir, home, cache });
  const lines = [`safe-install: ${result.written ? 'updated' : 'unchanged'} ${escapeForTerminal(result.file)} from ${escapeForTerminal(reportFile)}`];
  for (const [label, keys] of [['added', result.added], ['updated', result.updated], ['removed', result.removed]] as const) {
    for (const key of keys) lines.push(`  ${label.padEnd(7)} ${escapeForTerminal(key)}`);
  }
  if (result.written) lines.push(`Review the change (git diff ${LOCK_FILE_NAME}) and commit it.`);
  write(`${lines.join('\n')}\n`);
  return 0;
}
