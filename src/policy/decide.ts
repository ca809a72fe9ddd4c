// The decision function: may this script run, may it do this? allow | deny | ask. Pure when the request
// carries a resolved grant (or a fake realpath is given); see docs/policy.md "Decisions".
import { basename, resolve } from 'node:path';
import type { Decision, PolicyContext, PolicyRequest, ResolvedPackagePolicy } from './types.js';
import type { LoadedPolicy } from './loaded-policy.js';
import { resolvePackagePolicy, resolveRun, type ResolveOptions } from './resolve-package-policy.js';
import { isWithin } from './resolve-path.js';

// Readable by default unless under one of these (or a secret-looking file name anywhere).
const HIDDEN_ROOTS = ['/root', '/home', '/run/secrets', '/var/run/secrets', '/proc', '/etc/shadow', '/etc/gshadow', '/etc/sudoers'];
const SECRET_FILE = /^(\.npmrc|\.yarnrc(\.yml)?|\.netrc|\.git-credentials|\.pypirc|\.env(\..*)?|\.envrc|id_(rsa|dsa|ecdsa|ed25519)(\.pub)?|credentials(\.json)?|\.docker|config\.json)$/;
const METADATA_HOSTS = new Set(['localhost', 'metadata.google.internal', 'metadata', 'instance-data']);

// Environment variables every script sees (the install room's scrubbed base set).
const BASE_ENV = new Set(['PATH', 'HOME', 'USER', 'LOGNAME', 'SHELL', 'TERM', 'LANG', 'LANGUAGE', 'TZ', 'TMPDIR', 'PWD', 'INIT_CWD', 'NODE', 'COLORTERM', 'FORCE_COLOR', 'NO_COLOR', 'http_proxy', 'https_proxy', 'HTTP_PROXY', 'HTTPS_PROXY', 'no_proxy', 'NO_PROXY']);
const BASE_ENV_PREFIX = /^(LC_|npm_package_|npm_lifecycle_|npm_config_|npm_node_execpath$|npm_execpath$|npm_command$)/;
const SECRET_WORD = /(TOKEN|SECRET|PASSW|PRIVATE|CREDENTIAL|API_?KEY|ACCESS_?KEY|AUTH|SESSION|COOKIE)/i;
const SECRET_PREFIX = /^(AWS_|GITHUB_|GH_|ACTIONS_|CI_JOB_|NPM_|AZURE_|GOOGLE_|GCP_|VAULT_|KUBECONFIG$|SSH_AUTH_SOCK$)/;

// Tell whether an environment variable name looks like it holds a secret.
export function isSecretEnvName(name: string): boolean {
  return SECRET_WORD.test(name) || SECRET_PREFIX.test(name);
}

// Tell whether a host is loopback, private, link-local or a cloud metadata name.
function isInternalHost(host: string): boolean {
  if (METADATA_HOSTS.has(host) || host.endsWith('.localhost') || host.endsWith('.internal')) return true;
  const v4 = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(host);
  if (v4) {
    const [a, b] = [+v4[1], +v4[2]];
    return a === 0 || a === 10 || a === 127 || (a === 169 && b === 254) || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 100 && b >= 64 && b <= 127);
  }
  if (host.includes(':')) return host === '::1' || host === '::' || /^f[cd]/i.test(host) || /^fe[89ab]/i.test(host) || host.startsWith('::ffff:');
  return false;
}

// Tell whether "host:port" is covered by a grant entry (exact, *.domain for subdomains, :* for any port).
export function netCovered(entries: string[], host: string, port: number): boolean {
  const h = host.toLowerCase().replace(/\.$/, '').replace(/^\[(.*)\]$/, '$1');
  return entries.some((entry) => {
    const colon = entry.lastIndexOf(':');
    const eh = entry.slice(0, colon).replace(/^\[(.*)\]$/, '$1');
    const ep = entry.slice(colon + 1);
    if (ep !== '*' && +ep !== port) return false;
    return eh.startsWith('*.') ? h.endsWith(eh.slice(1)) && h.length > eh.length - 1 : eh === h;
  });
}

// Find whether a write to p is allowed: the deepest matching write or protect path decides.
function writeCovered(p: string, resolved: ResolvedPackagePolicy, ctx: PolicyContext): boolean {
  if (isWithin(p, resolve(ctx.pkgDir)) || isWithin(p, resolve(ctx.tmp))) return true;
  let best = -1;
  let allowed = false;
  for (const w of resolved.grant.write) if (isWithin(p, w) && w.length > best) [best, allowed] = [w.length, true];
  for (const r of resolved.grant.protect) if (isWithin(p, r) && r.length >= best) [best, allowed] = [r.length, false];
  return allowed;
}

// Decide a file access; see docs/policy.md for which reads are open by default.
function decideFs(kind: 'fs.read' | 'fs.write' | 'fs.delete', path: string, resolved: ResolvedPackagePolicy, ctx: PolicyContext): Decision {
  const p = resolve('/', path);
  if (kind !== 'fs.read') return writeCovered(p, resolved, ctx) ? 'allow' : 'ask';
  const granted = [...resolved.grant.read, ...resolved.grant.write].some((g) => isWithin(p, g));
  if (granted || isWithin(p, resolve(ctx.pkgDir)) || isWithin(p, resolve(ctx.tmp))) return 'allow';
  if (SECRET_FILE.test(basename(p))) return 'ask';
  if (isWithin(p, resolve(ctx.projectDir))) return 'allow';
  if (p === '/proc/self' || p.startsWith('/proc/self/') && !p.endsWith('/environ')) return 'allow';
  const hidden = [...HIDDEN_ROOTS, resolve(ctx.home), resolve(ctx.cache)];
  return hidden.some((h) => isWithin(p, h)) ? 'ask' : 'allow';
}

// Decide an executable: any when the profile says so, else by absolute path or by name outside writable places.
function decideExec(file: string, resolved: ResolvedPackagePolicy, ctx: PolicyContext): Decision {
  const { grant } = resolved;
  if (grant.execAny) return 'allow';
  if (!file.includes('/')) return grant.exec.includes(file) ? 'allow' : 'ask';
  const p = resolve(ctx.pkgDir, file);
  if (grant.exec.includes(p)) return 'allow';
  // A name grant ("node") must not cover a binary the script itself could have planted.
  const planted = writeCovered(p, resolved, ctx);
  return !planted && grant.exec.includes(basename(p)) ? 'allow' : 'ask';
}

/** Options of decide. */
export interface DecideOptions extends ResolveOptions {}

// Answer one request: allow, deny, or ask (the prompter turns ask into deny without a terminal).
// In audit mode every answer is allow; the caller records what enforce would have said as a deviation.
export function decide(policy: LoadedPolicy, request: PolicyRequest, options: DecideOptions = {}): Decision {
  const answer = decideEnforced(policy, request, options);
  return policy.mode === 'audit' ? 'allow' : answer;
}

// Answer as enforce mode would, whatever the policy's mode (what audit mode reports as a deviation).
export function decideEnforced(policy: LoadedPolicy, request: PolicyRequest, options: DecideOptions = {}): Decision {
  if (request.kind === 'script') {
    return resolveRun(policy, { name: request.name, version: request.version, isRoot: request.isRoot }).run;
  }
  const resolved = request.resolved ?? resolvePackagePolicy(policy, request.identity, request.ctx, options);
  if (resolved.run === 'deny') return 'deny';
  const { ctx } = request;
  switch (request.kind) {
    case 'fs.read':
    case 'fs.write':
    case 'fs.delete':
      return decideFs(request.kind, request.path, resolved, ctx);
    case 'net.connect': {
      if (netCovered(resolved.grant.net, request.host, request.port)) return 'allow';
      // The proxy refuses internal and metadata addresses unless a grant names them.
      return isInternalHost(request.host.toLowerCase().replace(/^\[(.*)\]$/, '$1')) ? 'deny' : 'ask';
    }
    case 'proc.exec':
      return decideExec(request.file, resolved, ctx);
    case 'env.read': {
      if (resolved.grant.env.includes(request.name)) return 'allow';
      // Never offer a secret at a prompt: it is granted by name in the policy or not at all.
      if (isSecretEnvName(request.name)) return 'deny';
      return BASE_ENV.has(request.name) || BASE_ENV_PREFIX.test(request.name) ? 'allow' : 'ask';
    }
  }
}
