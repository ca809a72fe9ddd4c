// After npm: compare the tree npm actually wrote with the tree the gates judged. npm resolves again
// during the real install; anything new (a release published in between, an argument the pre-pass read
// differently) is judged now by the gates that need no network and no question, and reported. Scripts
// may already have run for it, so an `ask` or `deny` here is an error finding, not a prompt.
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { checkShadowedCommands } from './check-shadowed-commands.js';
import { checkSources } from './check-sources.js';
import { loadGateSettings } from './load-gate-settings.js';
import { readTree, type GateLockfile, type LockfilePackage } from './read-tree.js';
import type { Finding } from '../report/types.js';
import type { TreeCheck } from './check-tree-before-scripts.js';
import { treeKey } from './check-tree-before-scripts.js';

const LOCKFILES = ['npm-shrinkwrap.json', 'package-lock.json', 'node_modules/.package-lock.json'];

// Return findings for packages installed but never judged; none when npm failed or the gates did not run.
export function checkTreeAfterInstall(input: { before: TreeCheck; projectDir: string; policyFile?: string; npmExitCode: number | null }): Finding[] {
  if (input.npmExitCode !== 0 || input.before.checked.size === 0) return [];
  const lockfile = LOCKFILES.map((name) => readJson(join(input.projectDir, name)) as GateLockfile | undefined).find((l) => l?.packages);
  const manifest = readJson(join(input.projectDir, 'package.json')) as LockfilePackage | undefined;
  const unchecked = readTree(lockfile, manifest).filter((e) => !input.before.checked.has(treeKey(e)));
  if (unchecked.length === 0) return [];
  const settings = loadGateSettings(input.policyFile);
  const results = [...checkSources(unchecked, settings.sources, input.before.npm), ...checkShadowedCommands(unchecked, settings.shadowedCommands)];
  return results.map((r) => ({
    rule: r.rule,
    level: r.decision === 'allow' ? 'note' : 'error',
    package: r.package,
    path: r.path,
    message: `${r.message}. Found after npm ran: it was not in the tree checked before the install (${r.decision === 'allow' ? `allowed: ${r.reason}` : `the policy says ${r.decision}: ${r.reason}`}).`,
  }));
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}
