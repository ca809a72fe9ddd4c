// Build a lifecycle script's environment from npm's: an allowlist modelled on what npm gives a
// script, never tokens, keys, agent sockets, cloud or CI credentials, or anything not listed.

/** Exact names passed through from npm's environment. */
const KEEP_NAMES = new Set([
  'PATH', 'TERM', 'COLORTERM', 'LANG', 'LANGUAGE', 'TZ', 'USER', 'LOGNAME', 'SHELL', 'NO_COLOR', 'FORCE_COLOR',
  'INIT_CWD', 'NODE', 'NODE_ENV', 'CI',
  'npm_command', 'npm_execpath', 'npm_node_execpath', 'npm_lifecycle_event', 'npm_lifecycle_script',
  // Debian/Node's own CA bundle locations: paths, not secrets, and TLS breaks without them.
  'NODE_EXTRA_CA_CERTS', 'SSL_CERT_FILE', 'SSL_CERT_DIR',
]);

/** Name prefixes passed through (npm's per-package and per-script variables, locale settings). */
const KEEP_PREFIXES = ['npm_package_', 'npm_lifecycle_', 'npm_config_', 'LC_'];

/** Anything whose name suggests a credential is dropped, even under a kept prefix. */
const SECRET_NAME = /(auth|token|passw|secret|credential|(^|_)key$|cert$|otp|email|username|session|cookie|signature)/i;

export interface ScrubOptions {
  /** Extra variable names a policy grant passes through. Never lets a secret-looking npm_config_ through. */
  passThrough?: string[];
  /** Variables safe-install sets inside the sandbox (HOME, TMPDIR, proxy settings). They win. */
  set?: Record<string, string>;
}

// Compute the environment one sandboxed script sees, from the environment npm gave the shim.
export function scrubEnv(npmEnv: NodeJS.ProcessEnv, options: ScrubOptions = {}): Record<string, string> {
  const out: Record<string, string> = {};
  const granted = new Set(options.passThrough ?? []);
  for (const [name, value] of Object.entries(npmEnv)) {
    if (value === undefined) continue;
    if (granted.has(name)) {
      out[name] = value;
      continue;
    }
    if (!isKept(name)) continue;
    // Registry-scoped settings (`//registry.example/:_authToken`) and credential-looking names never pass.
    if (name.includes('//') || name.includes(':') || SECRET_NAME.test(name.replace(/^npm_(config|package)_/, ''))) {
      if (!name.startsWith('npm_package_') || name.includes('//')) continue;
    }
    out[name] = value;
  }
  // The shim is the script shell only outside the sandbox: inside, a nested `npm run` runs plain sh,
  // still confined by this sandbox. Pointing it at the shim would fail closed and break benign builds.
  delete out.npm_config_script_shell;
  // npm's own config files live in the hidden HOME; pointing at them only produces noise.
  delete out.npm_config_userconfig;
  return { ...out, ...(options.set ?? {}) };
}

function isKept(name: string): boolean {
  return KEEP_NAMES.has(name) || KEEP_PREFIXES.some((prefix) => name.startsWith(prefix));
}
