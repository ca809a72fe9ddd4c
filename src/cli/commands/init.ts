// `safe-install init [install|ci|rebuild] [--write] [--policy FILE] [npm arguments...]`: learn a first policy.
import { resolve } from 'node:path';
import { parseInstallArgs } from '../install-args.js';
import { runInit } from '../../learn/run-init.js';
import { chooseProgressMode, createProgress } from '../../progress/create-progress.js';

export const INIT_HELP = `Usage: safe-install init [install|ci|rebuild] [--write] [--policy FILE] [npm arguments...]

Runs the install once with every lifecycle script confined as always (no secrets, no network beyond
grants), in audit mode, and proposes a policy granting what each script tried: network hosts and
writes under $HOME, $CACHE or node_modules/.<tool>. Secrets, reads, shell start-up files, npm's own
cache and other packages are never proposed; they are listed for review instead.

Without a policy file, writes safe-install.policy.json (or --policy FILE) for review.
With one, prints the difference and changes nothing, unless --write.
The install runs \`npm ci\` when package-lock.json exists (so every script runs), else \`npm install\`.
See docs/init.md.
`;

// Parse init's arguments and run it; returns the exit status.
export async function runInitCommand(argv: string[]): Promise<number> {
  const write = argv.includes('--write');
  const rest = argv.filter((a) => a !== '--write');
  if (rest.includes('-h') || rest.includes('--help')) {
    process.stdout.write(INIT_HELP);
    return 0;
  }
  const parsed = parseInstallArgs(rest, process.env, false);
  const explicit = rest.some((a) => ['install', 'i', 'ci', 'clean-install', 'rebuild', 'rb'].includes(a));
  const progress = createProgress({ mode: chooseProgressMode({ tty: Boolean(process.stderr.isTTY), quiet: parsed.quiet, env: process.env }), verbose: parsed.verbose });
  return runInit({
    command: explicit ? parsed.command : undefined,
    npmArgs: parsed.npmArgs,
    cwd: process.cwd(),
    env: process.env,
    policyFile: parsed.policy ? resolve(parsed.policy) : undefined,
    write,
    trace: parsed.trace,
    timeoutSeconds: parsed.timeoutSeconds,
    progress,
  }).finally(() => progress.stop());
}
