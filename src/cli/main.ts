#!/usr/bin/env node
// The safe-install command line: npm's install, ci and rebuild with confined lifecycle scripts,
// plus the policy, report and lock commands. Commands only; the work happens in the rooms.
import { parseInstallArgs, INSTALL_HELP } from './install-args.js';
import { reportError } from './report-error.js';

const argv = process.argv.slice(2);

async function main(): Promise<number> {
  const sub = argv[0];
  switch (sub) {
    case 'policy':
    case 'approve':
    case 'deny':
    case 'report':
    case 'lock':
    case '--help-commands':
      return (await import('./commands/index.js')).runSubcommand(argv);
    case 'init':
      return (await import('./commands/init.js')).runInitCommand(argv.slice(1));
    default: {
      const parsed = parseInstallArgs(argv, process.env, Boolean(process.stdin.isTTY && process.stdout.isTTY));
      if (parsed.help) {
        process.stdout.write(INSTALL_HELP);
        return 0;
      }
      if (parsed.version) {
        process.stdout.write(`${parsed.toolVersion}\n`);
        return 0;
      }
      // Loaded only to install: --help and --version answer without it.
      return (await import('./commands/install.js')).runInstallCommand(parsed);
    }
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.exitCode = reportError(error);
  },
);
