// Run every gate over the resolved tree, in a fixed order, and return what each found with the policy's
// decision: exotic sources, fresh releases, shadowed commands, gyp commands, new install scripts (pure).
import { checkFreshReleases, freshCandidates, type ReleaseTimes } from './check-fresh-releases.js';
import { checkGypCommands } from './check-gyp-commands.js';
import { checkNewInstallScripts, type KnownScripts } from './check-new-install-scripts.js';
import { checkShadowedCommands } from './check-shadowed-commands.js';
import { checkSources } from './check-sources.js';
import type { GateSettings } from './gates-schema.js';
import type { PackageFiles } from './read-package-files.js';
import type { GateResult, NpmGateSettings, TreeEntry } from './types.js';

export interface GateInput {
  /** The tree npm is about to install. */
  tree: TreeEntry[];
  /** The tree of the lockfile as it was before npm ran (empty when there was none). */
  previous: TreeEntry[];
  /** The behaviour lock (safe-install.lock.json), when the project has one. */
  lock?: KnownScripts;
  /** package.json scripts and gyp files per lockfile path, for the packages that could be read. */
  files: Map<string, PackageFiles | undefined>;
  /** Publish times of the fresh-release candidates. */
  times: ReleaseTimes;
  now: Date;
  settings: GateSettings;
  npm: NpmGateSettings;
}

// Return every gate's results, gate by gate, each sorted by lockfile path.
export function runGates(input: GateInput): GateResult[] {
  const known = new Set([...input.previous.map((e) => `${e.realName}@${e.version}`), ...Object.keys(input.lock?.packages ?? {})]);
  return [
    ...checkSources(input.tree, input.settings.sources, input.npm),
    ...checkFreshReleases(freshCandidates(input.tree, known, input.settings.freshReleases, input.npm), input.times, input.now, input.settings.freshReleases, input.npm),
    ...checkShadowedCommands(input.tree, input.settings.shadowedCommands),
    ...checkGypCommands(input.tree, input.files, input.settings.gypCommands),
    ...checkNewInstallScripts({ tree: input.tree, previous: input.previous, lock: input.lock, files: input.files, settings: input.settings.newInstallScripts }),
  ];
}
