// Subcommands other than the install family.
import { SafeInstallError } from '../../errors.js';

export async function runSubcommand(argv: string[]): Promise<number> {
  throw new SafeInstallError('EUSAGE', `"${argv[0]}" is not available yet`);
}
