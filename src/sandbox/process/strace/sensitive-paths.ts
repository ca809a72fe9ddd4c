// Decide which paths hold secrets, so that merely opening them for reading is worth an event (pure).
import { posix } from 'node:path';

// True when `path` is `dir` or lies below it.
export function isUnder(path: string, dir: string): boolean {
  if (dir === '/') return path.startsWith('/');
  const d = dir.endsWith('/') ? dir.slice(0, -1) : dir;
  return path === d || path.startsWith(d + '/');
}

// Outside HOME: system secrets, other processes' environment, container and cloud credentials.
const SYSTEM_SECRETS: RegExp[] = [
  /^\/etc\/(shadow|gshadow|sudoers)(-|\.d\/.*)?$/,
  /^\/etc\/ssh\/ssh_host_.*_key$/,
  /^\/proc\/(\d+|self|thread-self)\/(task\/\d+\/)?environ$/,
  /^\/proc\/(\d+|self|thread-self)\/(mem|root\/.*)$/,
  /^\/root\/\..*/,
  /^\/home\/[^/]+\/\..*/,
  /^\/(var\/)?run\/secrets(\/.*)?$/,
  /^\/var\/lib\/(docker|containerd)\/.*/,
];

// Build the default test for sensitive paths: anything under a dot entry of HOME (~/.npmrc, ~/.ssh,
// ~/.aws, ~/.config/gh, ~/.bash_history, ~/.npm...), the project's .env files and .npmrc, and system secrets.
export function sensitivePathMatcher({ home, projectDir }: { home: string; projectDir: string }): (path: string) => boolean {
  return (path: string): boolean => {
    const p = posix.normalize(path);
    if (isUnder(p, home) && p !== home) {
      const first = p.slice(home.replace(/\/$/, '').length + 1).split('/')[0];
      if (first.startsWith('.')) return true;
    }
    if (posix.dirname(p) === posix.normalize(projectDir)) {
      const base = posix.basename(p);
      if (base === '.npmrc' || base === '.env' || base.startsWith('.env.')) return true;
    }
    return SYSTEM_SECRETS.some((re) => re.test(p));
  };
}
