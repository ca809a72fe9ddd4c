// Split a command line into safe-install's own options and the arguments npm gets unchanged.
import { readFileSync } from 'node:fs';
import { SafeInstallError } from '../errors.js';

export interface ParsedInstallArgs {
  command: 'install' | 'ci' | 'rebuild';
  npmArgs: string[];
  /** --policy FILE */
  policy?: string;
  /** --report FILE */
  report?: string;
  /** --sarif FILE */
  sarif?: string;
  /** --ci: never prompt, fail on any deviation. Implied by CI=true without a terminal. */
  ci: boolean;
  /** --trace narrow|full|off */
  trace: 'narrow' | 'full' | 'off';
  /** --timeout SECONDS: per-script time limit. */
  timeoutSeconds?: number;
  unsafeNoSandbox: boolean;
  /** --audit: record deviations, deny nothing extra. */
  audit: boolean;
  quiet: boolean;
  verbose: boolean;
  help: boolean;
  version: boolean;
  toolVersion: string;
  color: boolean;
  interactive: boolean;
}

const COMMANDS: Record<string, ParsedInstallArgs['command']> = {
  install: 'install', i: 'install', in: 'install', add: 'install', isntall: 'install',
  ci: 'ci', 'clean-install': 'ci', 'install-clean': 'ci', ic: 'ci',
  rebuild: 'rebuild', rb: 'rebuild',
};

/** Our options that take a value. */
const VALUE_OPTIONS = new Set(['--policy', '--report', '--sarif', '--trace', '--timeout']);

export const INSTALL_HELP = `Usage: safe-install [install|ci|rebuild] [npm arguments...] [safe-install options]

Runs your npm with the same arguments. npm fetches, resolves, writes the lockfile and links bins
as usual; every lifecycle script (preinstall, install, postinstall, node-gyp rebuild, root and
git-dependency prepare) runs in a bubblewrap sandbox: scrubbed environment, empty HOME, read-only
filesystem except the package's own directory and a private /tmp, no network, no survivors.

Commands:
  safe-install [install] [pkg...]     npm install
  safe-install ci                     npm ci
  safe-install rebuild [pkg...]       npm rebuild
  safe-install policy check [FILE]    validate a policy file
  safe-install approve <pkg...>       allow a package's scripts in the policy
  safe-install deny <pkg...>          deny a package's scripts in the policy
  safe-install report FILE            show a saved JSON report
  safe-install init [--write]         learn a first policy from one confined install (docs/init.md)
  safe-install lock update            record the last install in safe-install.lock.json (after review)

safe-install options (everything else goes to npm):
  --policy FILE          policy file (default: ./safe-install.policy.json when present)
  --report FILE          JSON report (default: node_modules/.safe-install/report.json)
  --sarif FILE           also write a SARIF 2.1.0 report
  --ci                   never prompt; fail on any denied action (default when CI=true and no TTY)
  --trace MODE           narrow (default), full (every file open), or off
  --timeout SECONDS      per-script time limit (default 600)
  --audit                record what scripts do beyond the policy without failing
  --unsafe-no-sandbox    run scripts unconfined (environment still scrubbed); loudly warned
  -h, --help             this help
  --version              safe-install's version

Exit status: 0 clean; 1 a script failed or a policy deviation (in --ci); 2 usage or policy error;
3 sandbox unavailable; npm's own exit code when npm failed. See docs/exit-codes.md.
Environment: NO_COLOR disables colour; SAFE_INSTALL_DEBUG=1 shows stack traces.
`;

// Parse argv (without node and the script path).
export function parseInstallArgs(argv: string[], env: NodeJS.ProcessEnv, tty: boolean): ParsedInstallArgs {
  const out: ParsedInstallArgs = {
    command: 'install', npmArgs: [], ci: false, trace: 'narrow', unsafeNoSandbox: false, audit: false, quiet: false, verbose: false,
    help: false, version: false, toolVersion: readVersion(), color: false, interactive: tty,
  };
  let sawCommand = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    if (VALUE_OPTIONS.has(flag)) {
      const value = inline ?? argv[++i];
      if (value === undefined || value === '') throw new SafeInstallError('EUSAGE', `${flag} needs a value`, { hint: `e.g. ${flag} ${flag === '--trace' ? 'full' : flag === '--timeout' ? '300' : 'FILE'}` });
      setValue(out, flag, value);
      continue;
    }
    switch (arg) {
      case '--ci': out.ci = true; continue;
      case '--unsafe-no-sandbox': out.unsafeNoSandbox = true; continue;
      case '--audit': out.audit = true; continue;
      case '-h': case '--help': out.help = true; continue;
      case '--version': out.version = true; continue;
      case '--silent': case '--quiet': case '-s': case '-q': out.quiet = true; break; // npm gets it too
      case '--verbose': case '-d': case '-dd': case '--loglevel=verbose': out.verbose = true; break;
      case '--script-shell':
        throw new SafeInstallError('EUSAGE', '--script-shell is safe-install\'s own hook into npm and cannot be set', { hint: 'Remove --script-shell; scripts run with /bin/sh inside the sandbox.' });
      case '--ignore-scripts': break;
    }
    if (arg.startsWith('--script-shell=')) throw new SafeInstallError('EUSAGE', '--script-shell is safe-install\'s own hook into npm and cannot be set', { hint: 'Remove --script-shell.' });
    if (!sawCommand && !arg.startsWith('-') && out.npmArgs.length === 0) {
      sawCommand = true;
      const command = COMMANDS[arg];
      if (command) {
        out.command = command;
        continue;
      }
      if (/^[a-z-]+$/.test(arg) && !arg.includes('-') && KNOWN_NPM_COMMANDS.has(arg)) {
        throw new SafeInstallError('EUSAGE', `safe-install runs npm install, ci and rebuild; "${arg}" is not one of them`, { hint: `Run \`npm ${arg}\` directly, or see \`safe-install --help\`.` });
      }
    }
    out.npmArgs.push(arg);
  }
  if (!out.ci && env.CI && env.CI !== 'false' && env.CI !== '0' && !tty) out.ci = true;
  if (out.ci) out.interactive = false;
  out.color = tty && !env.NO_COLOR && env.TERM !== 'dumb';
  return out;
}

const KNOWN_NPM_COMMANDS = new Set(['run', 'test', 'exec', 'publish', 'update', 'uninstall', 'audit', 'pack', 'link', 'start', 'init', 'outdated', 'ls', 'view']);

function setValue(out: ParsedInstallArgs, flag: string, value: string): void {
  switch (flag) {
    case '--policy': out.policy = value; break;
    case '--report': out.report = value; break;
    case '--sarif': out.sarif = value; break;
    case '--trace':
      if (value !== 'narrow' && value !== 'full' && value !== 'off') throw new SafeInstallError('EUSAGE', `--trace must be narrow, full or off, got "${value}"`);
      out.trace = value;
      break;
    case '--timeout': {
      const seconds = Number(value);
      if (!Number.isFinite(seconds) || seconds <= 0) throw new SafeInstallError('EUSAGE', `--timeout must be a positive number of seconds, got "${value}"`);
      out.timeoutSeconds = seconds;
      break;
    }
  }
}

function readVersion(): string {
  try {
    return (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}
