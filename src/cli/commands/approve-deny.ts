// `safe-install approve <pkg...>` and `safe-install deny <pkg...>`: set `run` for package keys in the policy
// file, creating it (with a $schema line) when absent. Comments and formatting are kept; the write is atomic.
//
//   export async function runApprove(args: ApproveDenyArgs): Promise<number>
//   export async function runDeny(args: ApproveDenyArgs): Promise<number>
//
// Keys: `name`, `name@1.2.3`, `name@1.2.3 || 1.2.4`. Exit 0 on success, 2 for a bad key or an invalid file.
import { readFile } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import { SafeInstallError } from '../../errors.js';
import { applyRunChanges, isPackageKey, parsePackageKey, parsePolicyText, POLICY_FILE_NAME, writePolicyFile, type RunChange } from '../../policy/index.js';
import { renderError } from '../../report/index.js';

export interface ApproveDenyArgs {
  /** Package keys to approve or deny. */
  packages: string[];
  /** The policy file to edit. @default `safe-install.policy.json` in cwd */
  file?: string;
  /** @default process.cwd() */
  cwd?: string;
  /** @default process.stdout.write */
  write?: (text: string) => void;
  /** @default process.stderr.write */
  writeError?: (text: string) => void;
}

// Approve: scripts of these packages run (under their profile).
export function runApprove(args: ApproveDenyArgs): Promise<number> {
  return setRun(args, true);
}

// Deny: scripts of these packages never run; a deny wins over every approval.
export function runDeny(args: ApproveDenyArgs): Promise<number> {
  return setRun(args, false);
}

// Validate the keys, edit the file's text, check the result, write it atomically.
async function setRun(args: ApproveDenyArgs, run: boolean): Promise<number> {
  const write = args.write ?? ((text: string) => void process.stdout.write(text));
  const writeError = args.writeError ?? ((text: string) => void process.stderr.write(text));
  const cwd = args.cwd ?? process.cwd();
  try {
    if (args.packages.length === 0) {
      throw new SafeInstallError('EUSAGE', `${run ? 'approve' : 'deny'} needs at least one package`, { hint: `safe-install ${run ? 'approve' : 'deny'} esbuild sharp@0.33.5` });
    }
    const changes: RunChange[] = args.packages.map((raw) => {
      const key = parsePackageKey(raw);
      if (!isPackageKey(key)) throw new SafeInstallError('EUSAGE', `"${raw}": ${key.message}`, { hint: key.hint ?? `expected ${key.expected}` });
      return { key, run };
    });
    const file = resolve(cwd, args.file ?? POLICY_FILE_NAME);
    const original = await readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') return undefined;
      throw new SafeInstallError('EPOLICY_IO', `cannot read ${file}: ${e.message}`, { cause: e });
    });
    if (original !== undefined) parsePolicyText(original, file); // refuse to edit a file that is already broken
    const { text, notes } = applyRunChanges(original, changes);
    parsePolicyText(text, file); // and never write one
    if (text !== original) await writePolicyFile(file, text);
    for (const note of notes) write(`${note}\n`);
    const verb = run ? 'approved' : 'denied';
    write(`${original === undefined ? 'created' : 'updated'} ${relative(cwd, file) || file}: ${verb} ${changes.map((c) => c.key.name + (c.key.versions ? '@' + c.key.versions.join(' || ') : '')).join(', ')}\n`);
    return 0;
  } catch (error) {
    const { text, exitCode } = renderError(error);
    writeError(text);
    return exitCode;
  }
}
