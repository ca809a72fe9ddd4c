// Gather the facts the sandbox needs about this host, once per install: whether bubblewrap can
// create its namespaces, where node and npm live, which homes hold secrets.
import { execFile } from 'node:child_process';
import { existsSync, lstatSync, readdirSync, realpathSync } from 'node:fs';
import { userInfo } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SafeInstallError } from '../../errors.js';

export interface HostFacts {
  bwrap: string;
  strace?: string;
  /** Directories holding secrets: HOME, the account's passwd home, /root, /home, the npm cache, and the
   *  system's root-only secret directories (/etc/sudoers.d, /etc/ssl/private). */
  secretDirs: string[];
  /** System files only root should read (/etc/shadow, SSH host keys…): empty in every sandbox, where a
   *  script run as root (CI containers) could otherwise read them. */
  secretFiles?: string[];
  /** Install prefixes of node and npm, re-exposed when they sit under a hidden directory. */
  toolDirs: string[];
  /** The seccomp filter file every sandbox loads (src/sandbox/process/seccomp-filter.ts), once written. */
  seccomp?: string;
}

const BWRAP_CANDIDATES = ['/usr/bin/bwrap', '/usr/local/bin/bwrap', '/bin/bwrap'];
const STRACE_CANDIDATES = ['/usr/bin/strace', '/usr/local/bin/strace', '/bin/strace'];

// Find bubblewrap and prove it can build the sandbox we use, or explain why not.
export async function probeHost(env: NodeJS.ProcessEnv, npmCache?: string): Promise<HostFacts> {
  // SAFE_INSTALL_BWRAP names bwrap outside the usual places (and lets tests simulate a host without it).
  const bwrap = env.SAFE_INSTALL_BWRAP ? [env.SAFE_INSTALL_BWRAP].find((p) => existsSync(p)) : BWRAP_CANDIDATES.find((p) => existsSync(p));
  if (!bwrap) {
    const missing = env.SAFE_INSTALL_BWRAP ? `SAFE_INSTALL_BWRAP names ${env.SAFE_INSTALL_BWRAP}, which does not exist` : 'bubblewrap (bwrap) is not installed';
    throw new SafeInstallError('ESANDBOX_UNAVAILABLE', `${missing}, so lifecycle scripts cannot be confined.`, {
      hint: 'Install it: `sudo apt-get install -y bubblewrap` (Debian/Ubuntu) or `sudo dnf install bubblewrap`. To run scripts unconfined anyway (not recommended), pass --unsafe-no-sandbox.',
    });
  }
  const failure = await tryBwrap(bwrap);
  if (failure !== undefined) {
    throw new SafeInstallError('ESANDBOX_UNAVAILABLE', `bubblewrap cannot create its namespaces here: ${failure.trim() || 'unknown error'}`, {
      hint: explainBwrapFailure(failure),
    });
  }
  const strace = STRACE_CANDIDATES.find((p) => existsSync(p));
  const home = env.HOME ? resolve(env.HOME) : undefined;
  const secretDirs = unique(
    [home, userInfo().homedir, '/root', '/home', npmCache, ...SYSTEM_SECRET_DIRS].filter((p): p is string => !!p && p !== '/' && existsSync(p)).map(real),
  );
  // safe-install's own files (the node forwarder, the isolate worker) must stay readable in the sandbox even
  // when it is installed under HOME (npx's cache) or /tmp.
  const self = real(fileURLToPath(new URL('../../../..', import.meta.url)));
  const toolDirs = unique([prefixOf(process.execPath), env.npm_execpath ? prefixOf(env.npm_execpath) : undefined, self].filter((p): p is string => !!p));
  return { bwrap, strace, secretDirs, secretFiles: systemSecretFiles(), toolDirs };
}

/** Root-only secret directories of the system (hidden like HOME). */
const SYSTEM_SECRET_DIRS = ['/etc/sudoers.d', '/etc/ssl/private'];

// Root-only secret files of the system that exist here (a bind over a missing file would fail).
export function systemSecretFiles(): string[] {
  const files = ['/etc/shadow', '/etc/shadow-', '/etc/gshadow', '/etc/gshadow-', '/etc/sudoers', '/etc/security/opasswd'];
  try {
    for (const name of readdirSync('/etc/ssh')) if (/^ssh_host_.*_key$/.test(name)) files.push(`/etc/ssh/${name}`);
  } catch {
    // no sshd here
  }
  return files.filter((file) => {
    try {
      return lstatSync(file).isFile();
    } catch {
      return false;
    }
  });
}

function tryBwrap(bwrap: string): Promise<string | undefined> {
  const args = ['--unshare-all', '--die-with-parent', '--new-session', '--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc', '--tmpfs', '/tmp', '--', '/bin/true'];
  return new Promise((done) => {
    execFile(bwrap, args, { env: {}, timeout: 10_000 }, (error, _stdout, stderr) => done(error ? String(stderr || error.message) : undefined));
  });
}

// Turn bwrap's complaint into the fix for the usual causes.
export function explainBwrapFailure(stderr: string): string {
  if (/uid map|setting up uid|Permission denied|Operation not permitted/i.test(stderr)) {
    return [
      'User namespaces are refused on this host.',
      'On Ubuntu 23.10+ (AppArmor): `sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0`, or install an AppArmor profile for bwrap.',
      'On other kernels: `sudo sysctl -w kernel.unprivileged_userns_clone=1`.',
      'In Docker: run the container with `--security-opt seccomp=unconfined --security-opt apparmor=unconfined` or use a privileged CI runner.',
      'To run scripts unconfined anyway (not recommended), pass --unsafe-no-sandbox.',
    ].join('\n');
  }
  if (/No such file|not found/i.test(stderr)) return 'A path bubblewrap needs is missing; reinstall bubblewrap.';
  return 'Run `bwrap --ro-bind / / /bin/true` to see the error, or pass --unsafe-no-sandbox to run scripts unconfined (not recommended).';
}

// The install prefix of a binary: /usr for /usr/bin/node, ~/.nvm/versions/node/v20 for nvm.
function prefixOf(file: string): string | undefined {
  try {
    return dirname(dirname(real(file)));
  } catch {
    return undefined;
  }
}

function real(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

function unique<T>(items: T[]): T[] {
  return [...new Set(items)];
}
