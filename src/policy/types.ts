// What one lifecycle script may do, resolved to absolute host paths for one package and script.
// The policy room produces it; the sandbox tiers, the proxy and the broker enforce it.

export interface Grant {
  /** Absolute host paths (files or directories) the script may read in addition to the base system.
   *  Secret locations (HOME, the npm cache, other users' files) are hidden unless listed here. */
  read: string[];
  /** Absolute host paths the script may write. The package's own directory and a private /tmp are always included by the caller. */
  write: string[];
  /** Network destinations as `host:port`, `*.domain:port`, or `host:*`. Empty: no network at all. */
  net: string[];
  /** Executable names or absolute paths the script may start. Empty list with `execAny` true: anything. */
  exec: string[];
  /** When true, exec is not restricted (the default profile: a build may start any system tool). */
  execAny: boolean;
  /** Names of host environment variables passed through in addition to the built-in allowlist. */
  env: string[];
  /** Wall-clock limit for the whole script, in milliseconds. */
  timeoutMs: number;
}

/** Whether a package's scripts run at all. */
export type RunDecision = 'allow' | 'deny' | 'ask';

/** The default wall-clock limit of one lifecycle script. */
export const DEFAULT_TIMEOUT_MS = 10 * 60 * 1000;

// Build the default profile's grant: nothing beyond the package's own directory and /tmp.
export function emptyGrant(): Grant {
  return { read: [], write: [], net: [], exec: [], execAny: true, env: [], timeoutMs: DEFAULT_TIMEOUT_MS };
}

// ---------------------------------------------------------------------------------------------
// Policy room vocabulary (added by the policy room; the fields above are shared and unchanged).

/** What `decide` answers for one request. */
export type Decision = 'allow' | 'deny' | 'ask';

/** Who a script belongs to. `name`/`version` come from the lockfile entry, never the tarball. */
export interface PackageIdentity {
  name: string;
  /** Exact version from the lockfile; absent for git/file dependencies without one. */
  version?: string;
  /** True for the root project's own scripts (preinstall, install, postinstall, prepare of the project). */
  isRoot: boolean;
}

/** Absolute host directories that `$PKG`, `$PROJECT`, `$HOME`, `$TMP` and `$CACHE` stand for. */
export interface PolicyContext {
  pkgDir: string;
  projectDir: string;
  home: string;
  tmp: string;
  /** The npm cache directory (`npm config get cache`). */
  cache: string;
}

/** A grant with the places a pattern was refused, for the report. */
export interface ResolvedPackagePolicy {
  run: RunDecision;
  grant: Grant & {
    /** Absolute paths inside a writable grant that stay read-only. The sandbox applies binds shallowest
     *  first, so a deeper write path inside a protected one (e.g. `.git/hooks` inside `.git`) is writable again. */
    protect: string[];
  };
  /** Name of the profile the grant started from (`default`, `native-build`, `known:esbuild`, ...). */
  profile: string;
  /** Human-readable steps that led to the decision, in order. */
  reasons: string[];
  /** Patterns dropped while resolving, with why. */
  refused: { pattern: string; reason: string }[];
}

interface ActionSubject {
  identity: PackageIdentity;
  ctx: PolicyContext;
  /** Pass the result of `resolvePackagePolicy` to skip resolving it again (the usual case). */
  resolved?: ResolvedPackagePolicy;
}

/** One question put to `decide`: may this script run, or may it do this? */
export type PolicyRequest =
  | { kind: 'script'; name: string; version?: string; event: string; isRoot: boolean; ctx?: PolicyContext }
  | ({ kind: 'fs.read' | 'fs.write' | 'fs.delete'; path: string } & ActionSubject)
  | ({ kind: 'net.connect'; host: string; port: number } & ActionSubject)
  | ({ kind: 'proc.exec'; file: string } & ActionSubject)
  | ({ kind: 'env.read'; name: string } & ActionSubject);
