// `safe-install init`: install once with every script confined as always, in audit mode, and turn what
// each script tried into a proposed policy. A new policy file is written for review; an existing one is
// never overwritten: the difference is shown, and written only with `write`.
import { existsSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { runInstall } from '../install/run-install.js';
import { findProjectDir } from '../install/find-project-dir.js';
import { loadPolicy } from '../policy/load-policy.js';
import { parsePolicyText, POLICY_FILE_NAME } from '../policy/load-policy.js';
import { writePolicyFile } from '../policy/edit-policy.js';
import { RUN_ACTION } from '../prompt/install-questions.js';
import type { Prompter } from '../prompt/types.js';
import type { Progress } from '../progress/create-progress.js';
import { escapeForTerminal } from '../text/escape-for-terminal.js';
import { proposeGrants, type Proposal } from './propose-grants.js';
import { mergeIntoPolicy, renderNewPolicy } from './render-proposal.js';
import { diffLines } from './diff-lines.js';

export interface InitOptions {
  /** npm command to observe. @default `ci` when package-lock.json exists (every script runs), else `install` */
  command?: 'install' | 'ci' | 'rebuild';
  npmArgs: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** The policy file to propose for. @default <project>/safe-install.policy.json */
  policyFile?: string;
  /** Apply the proposal to an existing policy file (a new file is always written). @default false */
  write: boolean;
  trace: 'narrow' | 'full' | 'off';
  timeoutSeconds?: number;
  progress?: Progress;
  /** Where the proposal and the review list go. @default process.stdout */
  out?: (text: string) => void;
}

// Observe: every script of a package the policy does not deny runs (sandboxed); nothing else is granted.
const observer: Prompter = { ask: async (q) => (q.action === RUN_ACTION ? 'allow-once' : 'deny') };

const esc = (s: string) => escapeForTerminal(s, { maxLength: 300 });

// Run init and return the exit status: npm's own when it failed, else 0.
export async function runInit(options: InitOptions): Promise<number> {
  const out = options.out ?? ((t: string) => void process.stdout.write(t));
  const projectDir = findProjectDir(options.cwd);
  const policyFile = resolve(projectDir, options.policyFile ?? POLICY_FILE_NAME);
  const existing = existsSync(policyFile) ? readFileSync(policyFile, 'utf8') : undefined;
  // Check the policy before the long install: a broken file stops here with its line and column.
  const policy = await loadPolicy({ projectDir, file: existing === undefined ? undefined : policyFile });
  const command = options.command ?? (existsSync(join(projectDir, 'package-lock.json')) ? 'ci' : 'install');

  const { report, reportFile } = await runInstall({
    command, npmArgs: options.npmArgs, cwd: options.cwd, env: options.env, policyFile: existing === undefined ? undefined : policyFile,
    unsafeNoSandbox: false, trace: options.trace, timeoutSeconds: options.timeoutSeconds, ci: false, audit: true, interactive: false,
    prompter: observer, progress: options.progress,
  });
  options.progress?.stop();
  const home = resolve(options.env.HOME ?? '/nonexistent');
  const cache = resolve(options.env.npm_config_cache ?? join(home, '.npm'));
  const proposal = proposeGrants(report, { home, cache, projectDir });
  const shown = relative(options.cwd, policyFile) || policyFile;

  out(`safe-install init: npm ${command} ran ${report.scripts.length} script(s) of ${proposal.packages.length} package(s), confined, in audit mode.\n`);
  out(describeProposal(proposal));
  if (existing === undefined) {
    const text = renderNewPolicy(proposal, policy);
    parsePolicyText(text, policyFile); // never write a file the loader would refuse
    await writePolicyFile(policyFile, text);
    out(`\nwrote ${shown}: review every grant, then commit it. \`safe-install ci --ci\` fails on anything beyond it.\n`);
  } else {
    const { text, notes } = mergeIntoPolicy(existing, proposal, policy, policyFile);
    parsePolicyText(text, policyFile);
    for (const n of notes) out(`note: ${esc(n)}\n`);
    if (text === existing) out(`\n${shown} already grants everything observed; nothing to change.\n`);
    else if (options.write) {
      await writePolicyFile(policyFile, text);
      out(`\nupdated ${shown}:\n${esc(diffLines(existing, text)).replace(/\\n/g, '\n')}\n`);
    } else {
      out(`\n${shown} exists and was not changed. The proposal, as a difference (apply it with \`safe-install init --write\`):\n${esc(diffLines(existing, text)).replace(/\\n/g, '\n')}\n`);
    }
  }
  out(`report: ${esc(reportFile)}\n`);
  const npmFailed = report.npm.exitCode !== null && report.npm.exitCode !== 0;
  // npm stops at the first failing script: what later scripts would have tried was not seen.
  if (npmFailed) out(`npm ended with status ${report.npm.exitCode}: scripts after a failure were not observed. Review and apply the proposal, then run \`safe-install init\` again.\n`);
  return npmFailed ? report.npm.exitCode! : 0;
}

// The review list: what is proposed per package, and what is not, with why.
export function describeProposal(proposal: Proposal): string {
  const lines: string[] = [];
  const granted = proposal.packages.filter((p) => p.net.length + p.write.length > 0);
  if (granted.length > 0) {
    lines.push('', 'Proposed grants (what the scripts tried and the default sandbox refused):');
    for (const p of granted) {
      const who = p.isRoot ? 'root project' : p.name;
      for (const n of p.net) lines.push(`  ${esc(who)}  net    ${esc(n)}`);
      for (const w of p.write) lines.push(`  ${esc(who)}  write  ${esc(w)}`);
    }
  } else lines.push('', 'No grants needed: every script stayed within the default sandbox.');
  const notes = proposal.packages.flatMap((p) => p.notes.map((n) => `  ${esc(p.isRoot ? 'root project' : p.name)}: ${esc(n)}`));
  if (notes.length > 0) lines.push('', 'Check:', ...notes);
  if (proposal.notProposed.length > 0) {
    lines.push('', 'Not proposed (refused again next time; grant by hand only if you are sure):');
    for (const n of proposal.notProposed) lines.push(`  ${esc(n.package)}  ${n.kind} ${esc(n.target)}: ${esc(n.reason)}`);
  }
  if (proposal.notObserved.length > 0) lines.push('', 'Not observed (skipped by the policy):', ...proposal.notObserved.map((n) => `  ${esc(n)}`));
  return `${lines.join('\n')}\n`;
}
