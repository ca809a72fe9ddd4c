// The install, in npm's order: check the host, load the policy, start the controller, let npm do
// its work with safe-install as its script shell, then reconcile, report and choose the exit code.
import { execa } from 'execa';
import { readFileSync, mkdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { probeHost, type HostFacts } from '../sandbox/process/probe-host.js';
import { startController, type ScriptPlan } from './controller.js';
import { makeWorkDir } from './make-work-dir.js';
import { findProjectDir } from './find-project-dir.js';
import { reconcileIdentities } from './reconcile-identities.js';
import { readLockfile } from './read-lockfile.js';
import { CONTROL_SOCKET_ENV } from './protocol.js';
import { emptyGrant, DEFAULT_TIMEOUT_MS } from '../policy/types.js';
import type { Identity } from './resolve-identity.js';
import type { InstallReport } from '../report/types.js';
import { SafeInstallError } from '../errors.js';

/** Options of one `safe-install install|ci|rebuild` run. */
export interface InstallOptions {
  /** npm subcommand: install, ci or rebuild. @default 'install' */
  command: 'install' | 'ci' | 'rebuild';
  /** Arguments passed to npm unchanged. */
  npmArgs: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Where the JSON report goes. @default <project>/node_modules/.safe-install/report.json */
  reportFile?: string;
  /** Run scripts with no sandbox at all (loudly warned). @default false */
  unsafeNoSandbox: boolean;
  /** Per-script time limit in seconds, overriding the policy default. */
  timeoutSeconds?: number;
  /** Print the human summary. @default true */
  summary: boolean;
  /** Colour in the summary. */
  color: boolean;
}

export interface InstallResult {
  exitCode: number;
  report: InstallReport;
  reportFile: string;
}

const TOOL_VERSION = readToolVersion();

// Run npm with every lifecycle script confined, and report what happened.
export async function runInstall(options: InstallOptions): Promise<InstallResult> {
  const startedAt = new Date();
  const projectDir = findProjectDir(options.cwd, prefixArg(options.npmArgs));
  const rootManifest = readJson(join(projectDir, 'package.json')) as { name?: string; version?: string } | undefined;
  const npmCache = options.env.npm_config_cache ?? (options.env.HOME ? join(options.env.HOME, '.npm') : undefined);

  const host: HostFacts | undefined = options.unsafeNoSandbox ? undefined : await probeHost(options.env, npmCache);
  if (!host) warnUnsafe();

  const planScript = (identity: Identity): ScriptPlan => {
    const grant = emptyGrant();
    if (options.timeoutSeconds) grant.timeoutMs = options.timeoutSeconds * 1000;
    else grant.timeoutMs = DEFAULT_TIMEOUT_MS;
    if (identity.isRoot) grant.write.push(projectDir);
    return { run: 'allow', grant, profile: identity.isRoot ? 'project' : 'default' };
  };

  const work = makeWorkDir();
  const controller = await startController({ socketPath: work.controlSocket, projectDir, rootManifest, host, planScript });
  let npmExit: number | null = null;
  try {
    const npm = await execa('npm', [options.command, `--script-shell=${work.shim}`, ...options.npmArgs], {
      cwd: options.cwd,
      env: { ...options.env, [CONTROL_SOCKET_ENV]: work.controlSocket, npm_config_script_shell: work.shim },
      extendEnv: false,
      stdio: 'inherit',
      reject: false,
    });
    if (npm.failed && npm.exitCode === undefined) {
      throw new SafeInstallError('ENPM', `could not start npm: ${npm.shortMessage}`, { hint: 'Is npm on your PATH? `npm --version` should print a version.' });
    }
    npmExit = npm.exitCode ?? 1;
  } finally {
    await controller.close();
    work.remove();
  }

  const scripts = reconcileIdentities(controller.records, readLockfile(projectDir));
  const failed = scripts.some((s) => s.outcome === 'failed' || s.outcome === 'timeout' || s.outcome === 'killed' || s.outcome === 'error');
  const exitCode = npmExit !== 0 ? npmExit ?? 1 : failed ? 1 : 0;
  const report: InstallReport = {
    version: 1,
    tool: { name: 'safe-install', version: TOOL_VERSION },
    command: [options.command, ...options.npmArgs],
    projectDir,
    startedAt: startedAt.toISOString(),
    durationMs: Date.now() - startedAt.getTime(),
    npm: { version: options.env.npm_config_user_agent?.match(/npm\/(\S+)/)?.[1] ?? 'unknown', exitCode: npmExit },
    mode: 'enforce',
    sandbox: host ? { kind: 'bwrap', tracing: 'off' } : { kind: 'none', tracing: 'off', detail: '--unsafe-no-sandbox: scripts ran unconfined' },
    scripts,
    events: controller.events,
    findings: host ? [] : [{ rule: 'sandbox-degraded', level: 'error', message: 'Lifecycle scripts ran without a sandbox (--unsafe-no-sandbox).' }],
    exitCode,
  };
  const reportFile = options.reportFile ?? join(projectDir, 'node_modules', '.safe-install', 'report.json');
  mkdirSync(dirname(reportFile), { recursive: true });
  await writeFileAtomic(reportFile, `${JSON.stringify(report, null, 2)}\n`);
  return { exitCode, report, reportFile };
}

function warnUnsafe(): void {
  process.stderr.write('\n!!! safe-install: --unsafe-no-sandbox: lifecycle scripts run UNCONFINED with your files and network.\n!!! Only their environment is scrubbed. Use this only to diagnose a sandbox problem.\n\n');
}

function prefixArg(args: string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--prefix' || args[i] === '-C') return args[i + 1];
    if (args[i].startsWith('--prefix=')) return args[i].slice('--prefix='.length);
  }
  return undefined;
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

function readToolVersion(): string {
  const manifest = readJson(new URL('../../../package.json', import.meta.url).pathname) as { version?: string } | undefined;
  return manifest?.version ?? '0.0.0';
}
