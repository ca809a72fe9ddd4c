// Build the bubblewrap argument list for one lifecycle script. Pure: every fact about the host
// (which paths exist, where node lives) arrives in `layout`; nothing here touches the disk.

/** Where things are and what the script may touch, all as absolute host paths. */
export interface SandboxLayout {
  /** The package's own directory: the script's cwd, writable. */
  pkgDir: string;
  /** The project root: readable (it holds the other packages), never writable by a dependency. */
  projectDir: string;
  /** Directories replaced by an empty tmpfs: HOME, other homes, the npm cache. Their secrets are simply absent. */
  hidden: string[];
  /** Files replaced by an empty file (e.g. a project-level .npmrc or .env that may hold tokens). */
  hiddenFiles: string[];
  /** Paths under a hidden directory that must stay readable (node's install prefix, npm, nodedir, the project). */
  reexpose: string[];
  /** Extra readable paths granted by the policy. */
  readable: string[];
  /** Extra writable paths granted by the policy (beyond pkgDir). */
  writable: string[];
  /** Paths inside a writable directory that stay read-only (the package's nested node_modules, .git). */
  readOnlyInside: string[];
  /** Host unix socket of the network proxy, mounted read-only at PROXY_SOCKET_IN_SANDBOX. */
  proxySocket?: string;
}

/** Where the proxy's unix socket appears inside the sandbox. */
export const PROXY_SOCKET_IN_SANDBOX = '/run/safe-install/proxy.sock';

// Build `bwrap` arguments (without the program name) that run `command` confined to `layout`.
export function bwrapArgv(layout: SandboxLayout, command: string[]): string[] {
  const argv: string[] = [];

  // --- namespaces and process lifetime -------------------------------------------------------
  // --unshare-all takes net, pid, ipc, uts, cgroup (and user when possible): no network at all.
  // IMPORTANT: --unshare-pid with --die-with-parent is what kills double-forked daemons: when the
  // sandbox's pid 1 dies, the kernel kills every process in the namespace. Either alone does not.
  // --new-session: a script must not inject keystrokes into the shared terminal (TIOCSTI).
  argv.push('--unshare-all', '--die-with-parent', '--new-session');

  // --- filesystem base -----------------------------------------------------------------------
  // IMPORTANT: `--ro-bind / /` first, then the tmpfs mounts, then anything bound under them;
  // a later mount hides an earlier one at the same place.
  argv.push('--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc');
  argv.push('--tmpfs', '/tmp', '--tmpfs', '/var/tmp', '--tmpfs', '/run');
  for (const dir of sortByDepth(layout.hidden)) argv.push('--tmpfs', dir);

  // --- readable again ------------------------------------------------------------------------
  // The project (it may live under a hidden HOME or /tmp), node and npm, then policy read grants.
  for (const path of sortByDepth(unique([layout.projectDir, ...layout.reexpose, ...layout.readable]))) {
    argv.push('--ro-bind-try', path, path);
  }
  for (const file of layout.hiddenFiles) argv.push('--ro-bind', '/dev/null', file);

  // --- writable, and read-only again inside ---------------------------------------------------
  // IMPORTANT: one list, shallowest first: a protected path (`.git`) inside a writable one ($PROJECT)
  // is re-bound read-only after it, and a deeper grant inside the protected one (`.git/hooks`)
  // becomes writable again after that. At the same path, read-only wins.
  const binds: [string, 'rw' | 'ro'][] = [
    ...unique([layout.pkgDir, ...layout.writable]).map((p): [string, 'rw'] => [p, 'rw']),
    ...unique(layout.readOnlyInside).map((p): [string, 'ro'] => [p, 'ro']),
  ];
  binds.sort(([a, am], [b, bm]) => depth(a) - depth(b) || a.localeCompare(b) || (am === bm ? 0 : am === 'rw' ? -1 : 1));
  // A granted path that does not exist is skipped (--bind-try); the package's own dir must exist.
  for (const [path, mode] of binds) argv.push(mode === 'ro' ? '--ro-bind-try' : path === layout.pkgDir ? '--bind' : '--bind-try', path, path);

  // --- network -------------------------------------------------------------------------------
  if (layout.proxySocket) argv.push('--ro-bind', layout.proxySocket, PROXY_SOCKET_IN_SANDBOX);

  // --- tool defaults -------------------------------------------------------------------------
  for (const [name, value] of Object.entries(SANDBOX_ENV)) argv.push('--setenv', name, value);

  // --- command -------------------------------------------------------------------------------
  argv.push('--chdir', layout.pkgDir, '--', ...command);
  return argv;
}

/**
 * Set in every sandbox so common tools stop writing where nothing they write could be kept: python
 * (node-gyp's gyp) caching bytecode into another package's read-only node-gyp dir (EROFS, measured on
 * sqlite3 and re2), and a nested `npm run` reading the hidden ~/.npmrc, writing debug logs and the update
 * notifier's stamp into the hidden, discarded npm cache (measured on keytar, re2, @scarf/scarf); its logs go
 * to the private /tmp instead. Each of
 * these was a denied event in the report (and a `--ci` failure) for an otherwise clean build.
 */
const SANDBOX_ENV: Record<string, string> = {
  PYTHONDONTWRITEBYTECODE: '1',
  npm_config_logs_dir: '/tmp/.npm-logs',
  npm_config_update_notifier: 'false',
  npm_config_userconfig: '/dev/null',
  // @electron/get (electron's postinstall) ignores http(s)_proxy unless this is set, and then resolves
  // github.com itself: denied DNS, no download even with github.com granted (measured on electron 38).
  ELECTRON_GET_USE_PROXY: '1',
};

// Parents before children, so a child bind lands inside its parent's mount rather than under it.
function sortByDepth(paths: string[]): string[] {
  return [...paths].sort((a, b) => depth(a) - depth(b) || a.localeCompare(b));
}

function depth(path: string): number {
  return path.split('/').filter(Boolean).length;
}

function unique(paths: string[]): string[] {
  return [...new Set(paths)];
}
