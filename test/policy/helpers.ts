// Shared setup for the policy tests: a fake host layout, a fake realpath, and a policy from an object.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parsePolicyText, type LoadedPolicy, type PolicyContext, type Realpath } from '../../src/policy/index.js';

// dist/test/policy/x.test.js -> repo root
export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const FIXTURES = join(ROOT, 'test', 'fixtures', 'policy');

export const ctx: PolicyContext = {
  home: '/home/u',
  projectDir: '/home/u/proj',
  pkgDir: '/home/u/proj/node_modules/pkg',
  tmp: '/tmp/si-1',
  cache: '/home/u/.npm',
};

// Build a realpath over a fake tree: `existing` paths (and their ancestors) exist, `links` map a symlink to its target.
export function fakeRealpath(existing: string[], links: Record<string, string> = {}): Realpath {
  const exists = new Set<string>(['/']);
  for (const e of [...existing, ...Object.values(links), ...Object.keys(links).map((k) => dirname(k))]) {
    for (let p = e; p !== '/'; p = dirname(p)) exists.add(p);
  }
  return (p: string) => {
    let out = '/';
    for (const part of p.split('/').filter(Boolean)) {
      out = join(out, part);
      for (let hops = 0; links[out] !== undefined; hops++) {
        if (hops > 40) throw new Error('ELOOP');
        out = links[out];
      }
      if (!exists.has(out)) throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
    }
    return out;
  };
}

export const realpath = fakeRealpath(['/home/u/proj/node_modules/pkg', '/home/u/.npm', '/home/u/.cache', '/tmp/si-1', '/home/u/proj/.git/hooks']);

// Validate a policy written as an object, as the loader would from a file.
export function policy(obj: unknown = {}): LoadedPolicy {
  return parsePolicyText(JSON.stringify(obj, null, 2), 'safe-install.policy.json');
}
