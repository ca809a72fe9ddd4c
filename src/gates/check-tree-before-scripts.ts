// The gate stage of an install, before npm extracts anything and before any script: find the tree npm
// is about to install, read what the gates need (npm settings, package files, publish times), run the
// gates, list what they found, ask about `ask` results, and say whether the install may go on.
import { npmOmit } from '../ci/npm-omit.js';
import { readLock } from '../lock/read-lock.js';
import { LOCK_FILE_NAME } from '../lock/types.js';
import type { Prompter } from '../prompt/types.js';
import type { Finding } from '../report/types.js';
import { escapeForTerminal } from '../text/escape-for-terminal.js';
import { join } from 'node:path';
import { freshCandidates, freshGateActive, type ReleaseTimes } from './check-fresh-releases.js';
import type { KnownScripts } from './check-new-install-scripts.js';
import { registryOf } from './classify-source.js';
import { fetchReleaseTimes } from './fetch-release-times.js';
import { loadGateSettings } from './load-gate-settings.js';
import { needsFiles, readPackageFiles } from './read-package-files.js';
import { readNpmSettings, settingFlags } from './read-npm-settings.js';
import { readTree } from './read-tree.js';
import { resolveTree, type TreeSource } from './resolve-tree.js';
import { runGates } from './run-gates.js';
import { settleGates } from './settle-gates.js';
import type { GateResult, NpmGateSettings, TreeEntry } from './types.js';

export interface CheckTreeInput {
  command: 'install' | 'ci' | 'rebuild';
  npmArgs: string[];
  cwd: string;
  projectDir: string;
  env: NodeJS.ProcessEnv;
  /** The policy file in use (its `gates` section); absent: the defaults. */
  policyFile?: string;
  prompter: Prompter;
  /** Someone can answer a question (terminal, not --ci). */
  interactive: boolean;
  audit: boolean;
  /** npm's settings, when the caller started reading them earlier (it costs an npm start). */
  npmSettings?: Promise<NpmGateSettings>;
  /** For tests. @default new Date() */
  now?: Date;
  /** Where the list of results is written. @default process.stderr */
  output?: NodeJS.WritableStream;
}

export interface TreeCheck {
  findings: Finding[];
  /** A gate refused: npm must not run. */
  refused: boolean;
  /** The pre-pass failed: npm's exit code and output; npm must not run either. */
  failed?: { exitCode: number; output: string };
  how: TreeSource;
  /** `path@version#source` of every package judged, for the after-install check. */
  checked: Set<string>;
  results: GateResult[];
  npm: NpmGateSettings;
  durationMs: number;
}

// Run the gate stage; returns the findings and whether npm may run.
export async function checkTreeBeforeScripts(input: CheckTreeInput): Promise<TreeCheck> {
  const started = Date.now();
  const settings = loadGateSettings(input.policyFile);
  const empty = (how: TreeSource, npm: NpmGateSettings): TreeCheck => ({ findings: [], refused: false, how, checked: new Set(), results: [], npm, durationMs: Date.now() - started });
  const [npm, resolved] = await Promise.all([
    input.npmSettings ?? readNpmSettings({ cwd: input.cwd, env: input.env, npmArgs: input.npmArgs }),
    input.npmArgs.includes('--dry-run') ? undefined : resolveTree(input),
  ]);
  if (!resolved || !resolved.lockfile) {
    if (resolved?.failed) process.stderr.write(`safe-install: npm could not resolve the tree (npm install --package-lock-only):\n${escapeForTerminal(resolved.failed.output, { multiline: true })}\n`);
    return { ...empty(resolved?.how ?? 'none', npm), failed: resolved?.failed };
  }
  const omit = npmOmit(input.npmArgs, input.env);
  const tree = readTree(resolved.lockfile, resolved.rootManifest).filter((e) => !(e.dev && omit.has('dev')) && !(e.optional && omit.has('optional')));
  const previous = readTree(resolved.previous);
  const lock = readKnownScripts(input.projectDir);

  const [files, times] = await Promise.all([
    readPackageFiles(tree.filter(needsFiles), { projectDir: input.projectDir, cache: npm.cache, env: input.env, npmFlags: settingFlags(input.npmArgs) }),
    readTimes(tree, previous, lock, settings.freshReleases, npm, input),
  ]);
  const results = runGates({ tree, previous, lock, files, times, now: input.now ?? new Date(), settings, npm });
  const output = input.output ?? process.stderr;
  // What will be asked or refused, and hidden build commands, are listed before the install; the rest
  // that the policy allows (a direct git or file dependency) is in the report only.
  const notable = results.filter((r) => r.decision !== 'allow' || r.rule === 'gyp-command');
  if (notable.length > 0) output.write(listResults(notable, tree.length, resolved.how, resolved.prepassMs));
  const settled = await settleGates(results, { prompter: input.prompter, interactive: input.interactive, audit: input.audit });
  // With package-lock=false npm neither reads nor writes package-lock.json: leave none behind either.
  if (settled.refused || resolved.restoreAlways || (resolved.how === 'prepass' && !npm.packageLock)) resolved.restore();
  if (settled.refused) output.write('safe-install: a gate refused the install; npm was not run and no script ran.\n');
  return { findings: settled.findings, refused: settled.refused, how: resolved.how, checked: new Set(tree.map(treeKey)), results, npm, durationMs: Date.now() - started };
}

// The identity of one judged package, stable across npm rewriting `resolved` in the final lockfile.
export function treeKey(entry: TreeEntry): string {
  return `${entry.path}@${entry.version ?? '?'}#${entry.source}`;
}

// The behaviour lock's script table, when the project has a readable one (the lock room reports a broken one).
function readKnownScripts(projectDir: string): KnownScripts | undefined {
  try {
    return readLock(join(projectDir, LOCK_FILE_NAME));
  } catch {
    return undefined;
  }
}

async function readTimes(tree: TreeEntry[], previous: TreeEntry[], lock: KnownScripts | undefined, settings: Parameters<typeof freshCandidates>[2], npm: NpmGateSettings, input: CheckTreeInput): Promise<ReleaseTimes> {
  if (!freshGateActive(settings, npm)) return new Map();
  const known = new Set([...previous.map((e) => `${e.realName}@${e.version}`), ...Object.keys(lock?.packages ?? {})]);
  const candidates = freshCandidates(tree, known, settings, npm);
  return fetchReleaseTimes(candidates.map((e) => ({ name: e.realName, registry: registryOf(e.resolved, e.realName) ?? npm.registry })), { env: input.env, cwd: input.cwd });
}

const DECISION_LABEL = { allow: 'listed', ask: 'ask', deny: 'refuse' } as const;

// The list printed before anything is asked or installed: one line per result, package text escaped.
export function listResults(results: GateResult[], packages: number, how: TreeSource, prepassMs?: number): string {
  const from = how === 'prepass' ? `resolved by npm install --package-lock-only in ${((prepassMs ?? 0) / 1000).toFixed(1)} s` : how === 'installed' ? 'the installed tree' : 'the lockfile';
  const width = Math.max(...results.map((r) => r.rule.length));
  const lines = results.slice(0, 30).map((r) => `  ${DECISION_LABEL[r.decision].padEnd(7)} ${r.rule.padEnd(width)}  ${escapeForTerminal(r.package, { maxLength: 120 })}: ${escapeForTerminal(r.message, { maxLength: 400 })}`);
  if (results.length > 30) lines.push(`  ... and ${results.length - 30} more (see the report)`);
  return `safe-install: checked ${packages} package${packages === 1 ? '' : 's'} before installing (${from}):\n${lines.join('\n')}\n`;
}
