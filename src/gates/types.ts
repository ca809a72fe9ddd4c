// The gates' vocabulary: what the resolved tree looks like to a gate, and what a gate answers about
// one package before any script runs.

/** Stable rule ids of the gates; they are also the report's Finding rules. */
export type GateRule = 'exotic-source' | 'fresh-release' | 'shadowed-command' | 'gyp-command' | 'new-install-script';

export const GATE_RULES: readonly GateRule[] = ['exotic-source', 'fresh-release', 'shadowed-command', 'gyp-command', 'new-install-script'];

/** What a gate answers for one finding: `ask` becomes deny when nobody can be asked (--ci, no terminal). */
export type GateDecision = 'allow' | 'deny' | 'ask';

/** Where a package comes from. `registry` is the normal case; the others bypass the registry's scanning. */
export type SourceKind = 'registry' | 'git' | 'remote' | 'file' | 'directory';

/** One installed package of the resolved tree, read from a lockfile (never from the tarball). */
export interface TreeEntry {
  /** Lockfile key: `node_modules/a/node_modules/b`. */
  path: string;
  /** The name it is installed under (an alias included), from the path. */
  name: string;
  /** The package's own name when installed under an alias (`"x": "npm:y@1"`), else `name`. */
  realName: string;
  version?: string;
  resolved?: string;
  integrity?: string;
  /** A symlink to a directory: a `file:` directory dependency or a workspace. */
  link: boolean;
  source: SourceKind;
  /** The spec a dependent wrote for it (`github:org/x`, `https://...`, `^1.2.0`), the exotic one first. */
  spec?: string;
  /** Named in the project's own package.json (or a workspace's). */
  direct: boolean;
  /** Lockfile paths of the packages that depend on it (`` is the project root). */
  via: string[];
  /** Command name -> file, as npm will link them. */
  bin: Record<string, string>;
  /** The lockfile says it has preinstall/install/postinstall (or a binding.gyp). */
  hasInstallScript: boolean;
  dev: boolean;
  optional: boolean;
}

/** What a gate found about one package, and what the policy says to do. */
export interface GateResult {
  rule: GateRule;
  /** `name@version` (version `?` when the lockfile has none). */
  package: string;
  path: string;
  decision: GateDecision;
  /** What was found, in one sentence. Contains package-derived text: escape before display. */
  message: string;
  /** Which setting produced the decision, e.g. `gates.sources.transitive is "ask"`. */
  reason: string;
  /** How to put it to a person: `<package> (<rule>) wants to <action> "<target>"`. */
  question: { action: string; target: string; policyHint: string };
}

/** npm's own settings that the gates honour (`npm config get ...`). */
export interface NpmGateSettings {
  allowGit: NpmAllow;
  allowRemote: NpmAllow;
  allowFile: NpmAllow;
  allowDirectory: NpmAllow;
  /** `min-release-age` in days, when set. */
  minReleaseAgeDays?: number;
  /** `before`, when set: versions published after it are refused. Wins over min-release-age. */
  before?: Date;
  /** `min-release-age-exclude` name globs. */
  minReleaseAgeExclude: string[];
  /** Default registry URL, ending in `/`. */
  registry: string;
  /** npm's cache directory (holds `_cacache`). */
  cache?: string;
  /** npm's `package-lock`: false means npm ignores and writes no package-lock.json. */
  packageLock: boolean;
}

/** npm's allow-git / allow-remote / allow-file / allow-directory values. */
export type NpmAllow = 'all' | 'none' | 'root';

// The settings npm has when nothing is configured.
export function defaultNpmSettings(): NpmGateSettings {
  return { allowGit: 'all', allowRemote: 'all', allowFile: 'all', allowDirectory: 'all', minReleaseAgeExclude: [], registry: 'https://registry.npmjs.org/', packageLock: true };
}

// Format `name@version` for messages and report locations.
export function packageLabel(entry: Pick<TreeEntry, 'realName' | 'version'>): string {
  return `${entry.realName}@${entry.version ?? '?'}`;
}
