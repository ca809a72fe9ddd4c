// Turn a refused write into the policy pattern that would grant it, or say why none is proposed (pure).
// The pattern is a directory a tool owns (`$HOME/.cache/tool/**`), never HOME itself, a shell rc file,
// credentials, npm's own cache store, the project's sources, another package, or a system path.
import { posix } from 'node:path';
import { checkPathPattern } from '../policy/patterns.js';

/** The directories the policy's variables stand for, as absolute host paths. */
export interface LearnContext {
  home: string;
  cache: string;
  projectDir: string;
}

export type WriteProposal = { pattern: string; path: string } | { refused: string };

// Under HOME: dot directories that hold credentials, start programs, or belong to npm or git.
const HOME_NEVER = new Set(['.ssh', '.gnupg', '.aws', '.azure', '.gcloud', '.kube', '.docker', '.npm', '.npmrc', '.yarnrc', '.netrc', '.git', '.gitconfig', '.git-credentials', '.pki', '.password-store', '.mozilla', '.thunderbird', '.vscode', '.vscode-server', '.cursor', '.claude', '.local']);
const CONFIG_NEVER = new Set(['gh', 'git', 'hub', 'systemd', 'autostart', 'environment.d', 'gcloud', 'op', 'doctl', 'configstore', 'npm', 'yarn', 'pnpm', 'fish', 'nvim', 'Code']);
// npm's own store in its cache: writing there is cache poisoning.
const CACHE_NEVER = new Set(['_cacache', '_logs', '_npx', '_update-notifier-last-checked', 'index-v5', 'content-v2']);

const under = (path: string, dir: string) => path === dir || path.startsWith(`${dir.replace(/\/$/, '')}/`);
const rel = (path: string, dir: string) => posix.relative(dir, path).split('/');

// Propose a write pattern for one refused write; a pattern the policy loader would refuse (a control
// character or a glob character in a hostile directory name) is not proposed.
export function generalizeWrite(rawPath: string, ctx: LearnContext): WriteProposal {
  const w = proposeWrite(rawPath, ctx);
  if ('refused' in w) return w;
  const problem = checkPathPattern(w.pattern) ?? (/[*?[\]{}]/.test(w.pattern.slice(0, -3)) ? { message: 'a glob character' } : undefined);
  return problem ? { refused: `the directory name cannot be a policy pattern (${problem.message})` } : w;
}

function proposeWrite(rawPath: string, ctx: LearnContext): WriteProposal {
  const path = posix.normalize(rawPath);
  // The cache may live in HOME (~/.npm): judge it first.
  if (under(path, ctx.cache)) {
    const [first, second] = rel(path, ctx.cache);
    if (!first || second === undefined) return { refused: 'a file directly in the npm cache' };
    if (CACHE_NEVER.has(first)) return { refused: `npm's own cache store (${first}): writing there would poison later installs` };
    return { pattern: `$CACHE/${first}/**`, path: posix.join(ctx.cache, first) };
  }
  if (under(path, ctx.projectDir)) {
    const parts = rel(path, ctx.projectDir);
    // A tool's generated directory in node_modules (.prisma, .cache) is the only place proposed in the project.
    if (parts[0] === 'node_modules' && parts[1]?.startsWith('.') && parts[1] !== '.bin' && parts[1] !== '.package-lock.json' && parts[2] !== undefined) {
      return { pattern: `$PROJECT/node_modules/${parts[1]}/**`, path: posix.join(ctx.projectDir, 'node_modules', parts[1]) };
    }
    return { refused: parts[0] === 'node_modules' ? 'another package or npm\'s files in node_modules' : 'the project\'s own files' };
  }
  if (under(path, ctx.home)) {
    const parts = rel(path, ctx.home);
    const [first, second] = parts;
    // Directly in HOME live the shell's and other programs' start-up files: never proposed.
    if (first === '' || second === undefined) return { refused: 'HOME itself or a file directly in it (start-up files live there)' };
    if (!first.startsWith('.')) return { refused: 'a visible directory of HOME (the person\'s own files)' };
    if (HOME_NEVER.has(first)) return { refused: `${first} holds credentials or tool state that scripts must not change` };
    if (first === '.config' || first === '.cache') {
      if (second === undefined) return { refused: `the ${first} directory itself` };
      if (first === '.config' && CONFIG_NEVER.has(second)) return { refused: `.config/${second} holds credentials or starts programs` };
      return { pattern: `$HOME/${first}/${second}/**`, path: posix.join(ctx.home, first, second) };
    }
    return { pattern: `$HOME/${first}/**`, path: posix.join(ctx.home, first) };
  }
  if (under(path, '/tmp')) return { refused: 'the script\'s private /tmp is writable already' };
  return { refused: 'a system path outside HOME, the npm cache and the project' };
}
