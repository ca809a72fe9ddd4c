// Compute the confined command for one script: layout, environment, and the program to start.
// Pure apart from the existence checks it is given as `exists`.
import { join } from 'node:path';
import { bwrapArgv, type SandboxLayout } from '../sandbox/process/bwrap-argv.js';
import { withSeccomp } from '../sandbox/process/seccomp-filter.js';
import type { Grant } from '../policy/types.js';
import type { HostFacts } from '../sandbox/process/probe-host.js';

export interface SandboxCommandInput {
  /** The script body npm passed to `-c`. */
  script: string;
  /** Shell that runs the body inside the sandbox. */
  shell: string;
  pkgDir: string;
  projectDir: string;
  isRoot: boolean;
  grant: Grant & { protect?: string[] };
  host: HostFacts;
  env: Record<string, string>;
  /** Prefix (strace argv) placed before bwrap, or none. */
  tracer?: string[];
  /** Argv prefix placed inside the sandbox before the shell (the proxy forwarder), or none. */
  inner?: string[];
  proxySocket?: string;
  exists: (path: string) => boolean;
  /** Names present in the project root, to hide credential files among them. */
  projectEntries: string[];
}

/** Project-level files that commonly hold tokens; dependency scripts never need them. */
const PROJECT_SECRET_FILE = /^(\.npmrc|\.yarnrc(\.yml)?|\.env(\..*)?|\.netrc)$/;

// Build the layout the script's grant allows.
export function sandboxLayout(input: SandboxCommandInput): SandboxLayout {
  const { pkgDir, projectDir, host, grant } = input;
  const underHidden = (path: string) => host.secretDirs.some((dir) => path === dir || path.startsWith(`${dir}/`));
  const nodedir = input.env.npm_config_nodedir;
  const reexpose = [...host.toolDirs, ...(nodedir ? [nodedir] : [])].filter(underHidden);
  // A dependency never writes its own nested dependencies; the root's .git is protected by its profile.
  const readOnlyInside = input.isRoot ? [] : [join(pkgDir, 'node_modules')];
  return {
    pkgDir,
    projectDir,
    hidden: host.secretDirs,
    hiddenFiles: [...(host.secretFiles ?? []), ...input.projectEntries.filter((name) => PROJECT_SECRET_FILE.test(name)).map((name) => join(projectDir, name))],
    reexpose,
    readable: grant.read,
    writable: grant.write,
    readOnlyInside: [...readOnlyInside.filter(input.exists), ...(grant.protect ?? [])],
    proxySocket: input.proxySocket,
  };
}

// The program and arguments the shim starts: [tracer...] bwrap <argv> [inner...] <shell> -c <script>.
export function sandboxCommand(input: SandboxCommandInput): { file: string; args: string[] } {
  const inside = [...(input.inner ?? []), input.shell, '-c', input.script];
  const bwrap = [input.host.bwrap, ...bwrapArgv(sandboxLayout(input), inside)];
  const full = withSeccomp([...(input.tracer ?? []), ...bwrap], input.tracer?.length ?? 0, input.host.seccomp);
  return { file: full[0], args: full.slice(1) };
}
