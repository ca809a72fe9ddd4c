// The commands other than the install family, parsed by yargs: policy check|import, approve,
// deny, report, lock update. Each handler delegates to its command module and returns the exit code.
import yargs from 'yargs';
import { SafeInstallError } from '../../errors.js';

// Parse argv (starting at the subcommand) and run it.
export async function runSubcommand(argv: string[]): Promise<number> {
  let code = 0;
  const run = (promise: Promise<number>) => promise.then((c) => { code = c; });
  await yargs(argv)
    .scriptName('safe-install')
    .command('policy <action> [file]', 'check or import a policy file', (y) => y
      .positional('action', { choices: ['check', 'import'] as const, describe: 'check: validate the policy; import: take approvals from LavaMoat, pnpm and npm' })
      .positional('file', { type: 'string', describe: 'policy file (default ./safe-install.policy.json)' })
      .option('from', { type: 'array', string: true, choices: ['lavamoat', 'pnpm', 'npm'], describe: 'for import: sources (default all)' }),
    async (a) => {
      if (a.action === 'check') await run((await import('./policy-check.js')).runPolicyCheck({ file: a.file }));
      else await run((await import('./policy-import.js')).runPolicyImport({ file: a.file, from: a.from as ('lavamoat' | 'pnpm' | 'npm')[] | undefined }));
    })
    .command('approve <packages..>', 'allow these packages\' scripts (name, name@1.2.3, "name@1.2.3 || 1.2.4")', (y) => y
      .positional('packages', { type: 'string', array: true })
      .option('policy', { type: 'string', describe: 'policy file to edit' }),
    async (a) => run((await import('./approve-deny.js')).runApprove({ packages: a.packages as string[], file: a.policy })))
    .command('deny <packages..>', 'never run these packages\' scripts; a deny wins over every approval', (y) => y
      .positional('packages', { type: 'string', array: true })
      .option('policy', { type: 'string', describe: 'policy file to edit' }),
    async (a) => run((await import('./approve-deny.js')).runDeny({ packages: a.packages as string[], file: a.policy })))
    .command('lock <action>', 'record the last install\'s script hashes and behaviour in safe-install.lock.json, after reviewing drift', (y) => y
      .positional('action', { choices: ['update'] as const, describe: 'update: record the last install report in the lock' })
      .option('report', { type: 'string', describe: 'JSON report to record (default node_modules/.safe-install/report.json)' }),
    async (a) => run((await import('./lock.js')).runLockUpdate({ report: a.report })))
    .command('report <file>', 'show a saved JSON report', (y) => y
      .positional('file', { type: 'string', demandOption: true })
      .option('format', { choices: ['human', 'json', 'sarif', 'markdown'] as const, default: 'human' as const })
      .option('verbose', { type: 'boolean', default: false }),
    async (a) => run((await import('./report.js')).runReportCommand({ file: a.file as string, format: a.format, verbose: a.verbose, color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR })))
    .strict()
    .help()
    .version(false)
    .fail((message, error) => {
      throw error ?? new SafeInstallError('EUSAGE', message, { hint: 'see `safe-install --help`' });
    })
    .parseAsync();
  return code;
}
