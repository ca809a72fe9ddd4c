// The install, in npm's order: check the host, load the policy, start the controller and the
// tamper witness, let npm do its work with safe-install as its script shell, then reconcile
// identities, explain what changed, report, and choose the exit code.
import { execa } from 'execa';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { probeHost, type HostFacts } from '../sandbox/process/probe-host.js';
import { seccompFilter } from '../sandbox/process/seccomp-filter.js';
import { nativeShim } from './native-shim.js';
import { startController, type ScriptPlan } from './controller.js';
import { createScriptHooks } from './script-hooks.js';
import { createIsolateTier } from '../sandbox/isolate/create-isolate-tier.js';
import { makeWorkDir } from './make-work-dir.js';
import { findProjectDir } from './find-project-dir.js';
import { reconcileIdentities } from './reconcile-identities.js';
import { readLockfile } from './read-lockfile.js';
import { chooseExitCode } from './choose-exit-code.js';
import { CONTROL_SOCKET_ENV } from './protocol.js';
import { loadPolicy, resolvePackagePolicy, type LoadedPolicy } from '../policy/index.js';
import { startTamperWatch, explainTamper, npmOwnedPaths } from '../watch/index.js';
import { createTtyPrompter, denyPrompter, type Prompter } from '../prompt/index.js';
import { createInstallAsker } from '../prompt/create-install-asker.js';
import { offerRerun } from '../prompt/offer-rerun.js';
import type { Progress } from '../progress/create-progress.js';
import { writeJsonReport } from '../report/index.js';
import { preflightScripts, refuseBeforeRun } from '../ci/index.js';
import { openBehaviourLock } from '../lock/index.js';
import { checkTreeBeforeScripts, checkTreeAfterInstall, refuseInstall } from '../gates/index.js';
import { readNpmSettings } from '../gates/read-npm-settings.js';
import type { Identity } from './resolve-identity.js';
import type { Finding, InstallReport } from '../report/types.js';
import { SafeInstallError } from '../errors.js';

/** Options of one `safe-install install|ci|rebuild` run. */
export interface InstallOptions {
  /** npm subcommand: install, ci or rebuild. @default 'install' */
  command: 'install' | 'ci' | 'rebuild';
  /** Arguments passed to npm unchanged. */
  npmArgs: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Policy file (`--policy`). @default <project>/safe-install.policy.json when present */
  policyFile?: string;
  /** Where the JSON report goes. @default <project>/node_modules/.safe-install/report.json */
  reportFile?: string;
  /** Run scripts with no sandbox at all (loudly warned). @default false */
  unsafeNoSandbox: boolean;
  /** Per-script time limit in seconds, overriding the policy. */
  timeoutSeconds?: number;
  /** strace mode. @default 'narrow' */
  trace: 'narrow' | 'full' | 'off';
  /** Never prompt; deviations fail the run. */
  ci: boolean;
  /** Force audit mode (record, do not fail). */
  audit: boolean;
  /** A person can be asked (stdin and stderr are terminals, not --ci). */
  interactive: boolean;
  /** Shows running scripts (src/progress); absent: nothing is drawn. */
  progress?: Progress;
  /** Who answers questions (`safe-install init` runs every script). @default the TTY prompter when interactive, else deny */
  prompter?: Prompter;
}

export interface InstallResult {
  exitCode: number;
  report: InstallReport;
  reportFile: string;
}

const SHELL = '/bin/sh';
const TOOL_VERSION = readToolVersion();

// Run npm with every lifecycle script confined, and report what happened.
export async function runInstall(options: InstallOptions): Promise<InstallResult> {
  const startedAt = new Date();
  const projectDir = findProjectDir(options.cwd, prefixArg(options.npmArgs));
  const home = resolve(options.env.HOME ?? '/nonexistent');
  const rootManifest = readJson(join(projectDir, 'package.json')) as { name?: string; version?: string } | undefined;
  const npmCache = resolve(options.env.npm_config_cache ?? join(home, '.npm'));
  const reportFile = options.reportFile ?? join(projectDir, 'node_modules', '.safe-install', 'report.json');

  // 1. Validate before acting: the policy, then the sandbox.
  // The gates need npm's settings: start reading them (an npm start, ~0.15 s) while the policy loads and the host is probed.
  const npmSettings = readNpmSettings({ cwd: options.cwd, env: options.env, npmArgs: options.npmArgs });
  npmSettings.catch(() => undefined);
  const policy = await loadPolicy({ projectDir, file: options.policyFile });
  const mode = options.audit ? 'audit' : policy.mode;
  // In --ci, scripts the policy already refuses fail the run before npm starts (docs/ci.md).
  const refused = options.ci && mode === 'enforce' ? preflightScripts({ projectDir, policy, command: options.command, npmArgs: options.npmArgs, env: options.env }) : [];
  if (refused.length > 0) return refuseBeforeRun({ refused, command: [options.command, ...options.npmArgs], projectDir, startedAt, mode, reportFile, toolVersion: TOOL_VERSION });
  const lock = openBehaviourLock({ projectDir, acceptDrift: policy.acceptDrift, ci: options.ci });
  const host: HostFacts | undefined = options.unsafeNoSandbox ? undefined : await probeHost(options.env, npmCache);
  if (!host) warnUnsafe();
  const trace = host?.strace ? options.trace : 'off';
  const prompter: Prompter = options.prompter ?? (options.interactive ? createTtyPrompter() : denyPrompter);
  const asker = createInstallAsker({ prompter, policy, policyFile: policy.file ?? join(projectDir, 'safe-install.policy.json'), pause: options.progress?.pause, ctx: { home, cache: npmCache, projectDir } });
  // Gates: judge the resolved tree before npm installs anything or any script runs (docs/gates.md).
  const gates = await checkTreeBeforeScripts({ command: options.command, npmArgs: options.npmArgs, cwd: options.cwd, projectDir, env: options.env, policyFile: policy.file, prompter, interactive: options.interactive, audit: mode === 'audit', npmSettings });
  if (gates.refused || gates.failed) return refuseInstall({ gates, command: [options.command, ...options.npmArgs], projectDir, startedAt, mode, reportFile, toolVersion: TOOL_VERSION });

  // 2. The controller answers every shim; the witness watches what no script should touch.
  // npm's script shell: the C shim when it can be built (a node start per script saved), else shim.ts.
  const shim = host ? nativeShim(options.env) : { reason: 'no sandbox' };
  const work = makeWorkDir({ nativeShim: shim.path });
  // Every sandbox loads the same seccomp filter (io_uring, keyrings, bpf… refused; docs/tracing.md).
  const filter = host ? seccompFilter() : undefined;
  if (host && filter) {
    host.seccomp = join(work.dir, 'seccomp.bpf');
    writeFileSync(host.seccomp, filter, { mode: 0o400 });
  }
  const planScript = (identity: Identity, _event: string, pkgDir: string): ScriptPlan => asker.widen(identity, planFor(policy, identity, { pkgDir, projectDir, home, tmp: '/tmp', cache: npmCache }, options.timeoutSeconds));
  // The isolate tier runs plain `node` scripts in isolated-vm (docs/isolate.md); SAFE_INSTALL_ISOLATE=0 turns it off.
  const isolate = host && options.env.SAFE_INSTALL_ISOLATE !== '0' ? createIsolateTier({ workDir: work.dir, host }) : undefined;
  const controller = await startController({
    isolate, askWrite: options.interactive ? (script, path) => asker.askWrite(script, { path }) : undefined,
    rerunWith: options.interactive ? (script, events) => offerRerun(asker, script, events) : undefined,
    socketPath: work.controlSocket, privateDirs: [work.dir], projectDir, home, rootManifest, host, planScript, shell: SHELL,
    askToRun: (script) => asker.askToRun(script),
    onStart: options.progress?.start, onEnd: options.progress?.end,
    hooks: host ? createScriptHooks({ workDir: work.dir, projectDir, home, strace: host.strace, trace, shell: SHELL, askNet: options.interactive ? (script, h, p) => asker.askNet(script, h, p) : undefined }) : undefined,
  });
  const watch = await startTamperWatch({ projectDir, home });

  // 3. npm does the install; every lifecycle script comes back to the controller.
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
    await isolate?.close();
    work.remove();
  }
  const changes = await watch.stop();

  // 4. Reconcile, explain, report.
  const scripts = reconcileIdentities(controller.records, readLockfile(projectDir));
  const events = controller.events;
  const allowed = events.filter((e) => e.decision === 'allowed' || e.decision === 'asked-allowed');
  const owned = [...npmOwnedPaths({ projectDir, home, saves: options.command === 'install', cacheDir: npmCache }), reportFile, ...controller.created, ...(await asker.ownedPaths())];
  const findings: Finding[] = [...explainTamper(changes, allowed, { npmOwnedPaths: owned })];
  if (isolate?.unavailable && scripts.some((s) => s.tierReason?.startsWith('isolate tier unavailable'))) findings.push({ rule: 'isolate-unavailable', level: 'note', message: `Plain \`node\` scripts ran in the process tier: ${isolate.unavailable}.` });
  if (!host) findings.push({ rule: 'sandbox-degraded', level: 'error', message: 'Lifecycle scripts ran without a sandbox (--unsafe-no-sandbox).' });
  if (host && !shim.path) findings.push({ rule: 'native-shim-unavailable', level: 'note', message: `npm's script shell is the node one (the C shell: ${shim.reason}): each script pays a node start-up.` });
  if (host && !filter) findings.push({ rule: 'seccomp-unavailable', level: 'warning', message: `No seccomp filter for this architecture (${process.arch}): io_uring and the kernel keyrings stay reachable inside the sandbox (the namespaces still confine every script).` });
  if (host && !host.strace && options.trace !== 'off') findings.push({ rule: 'tracing-unavailable', level: 'warning', message: 'strace is not installed: file and process activity was not traced (the sandbox still confined every script). Install it with `apt-get install -y strace`.' });
  findings.push(...lock.compare({ scripts, events, home, cache: npmCache }));
  findings.push(...gates.findings, ...checkTreeAfterInstall({ before: gates, projectDir, policyFile: policy.file, npmExitCode: npmExit }));

  const report: InstallReport = {
    version: 1,
    tool: { name: 'safe-install', version: TOOL_VERSION },
    command: [options.command, ...options.npmArgs],
    projectDir,
    startedAt: startedAt.toISOString(),
    durationMs: Date.now() - startedAt.getTime(),
    npm: { version: options.env.npm_config_user_agent?.match(/npm\/(\S+)/)?.[1] ?? npmVersion(), exitCode: npmExit },
    mode,
    sandbox: host ? { kind: 'bwrap', tracing: trace } : { kind: 'none', tracing: 'off', detail: '--unsafe-no-sandbox: scripts ran unconfined' },
    scripts,
    events,
    findings,
    exitCode: 0,
  };
  report.exitCode = chooseExitCode(report, { ci: options.ci });
  await lock.save(report);
  mkdirSync(dirname(reportFile), { recursive: true });
  await writeJsonReport(report, reportFile);
  return { exitCode: report.exitCode, report, reportFile };
}

// What the policy lets one script do, with the command line's time limit on top.
function planFor(policy: LoadedPolicy, identity: Identity, ctx: { pkgDir: string; projectDir: string; home: string; tmp: string; cache: string }, timeoutSeconds?: number): ScriptPlan {
  const resolved = resolvePackagePolicy(policy, { name: identity.name, version: identity.version, isRoot: identity.isRoot }, ctx);
  if (timeoutSeconds) resolved.grant.timeoutMs = timeoutSeconds * 1000;
  const reason = resolved.run === 'allow' ? undefined : resolved.reasons.join('; ');
  return { run: resolved.run, grant: resolved.grant, profile: resolved.profile, reason };
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

function npmVersion(): string {
  return 'unknown';
}

function readToolVersion(): string {
  const manifest = readJson(new URL('../../../package.json', import.meta.url).pathname) as { version?: string } | undefined;
  return manifest?.version ?? '0.0.0';
}
