// `safe-install policy check [FILE]`: validate a policy file (and package.json allowScripts).
//
//   export async function runPolicyCheck(args: PolicyCheckArgs): Promise<number>
//
// Exit 0 when valid, 2 when invalid or unreadable. Each problem is one line:
// `FILE:LINE:COL: <json path>: <message> (expected ...)`, FILE relative to cwd. Never a stack trace.
import { relative, resolve } from 'node:path';
import { isSafeInstallError } from '../../errors.js';
import { loadPolicy, POLICY_FILE_NAME } from '../../policy/index.js';
import { renderError } from '../../report/index.js';

export interface PolicyCheckArgs {
  /** The policy file to check. @default `safe-install.policy.json` in cwd */
  file?: string;
  /** Project directory: where package.json is read. @default process.cwd() */
  cwd?: string;
  /** Where output goes. @default process.stdout.write */
  write?: (text: string) => void;
  /** Where problems go. @default process.stderr.write */
  writeError?: (text: string) => void;
}

// Validate the policy and print located problems; returns the exit code.
export async function runPolicyCheck(args: PolicyCheckArgs = {}): Promise<number> {
  const write = args.write ?? ((text: string) => void process.stdout.write(text));
  const writeError = args.writeError ?? ((text: string) => void process.stderr.write(text));
  const cwd = args.cwd ?? process.cwd();
  const shown = (file: string) => relative(cwd, file) || file;
  try {
    const policy = await loadPolicy({ projectDir: cwd, file: args.file });
    if (!policy.file) write(`no ${POLICY_FILE_NAME} here: the built-in default policy applies (unlisted packages run sandboxed)\n`);
    else write(`${shown(policy.file)}: valid (${policy.entries.length} package entr${policy.entries.length === 1 ? 'y' : 'ies'}, mode ${policy.mode}, unlisted ${policy.unlisted})\n`);
    return 0;
  } catch (error) {
    if (isSafeInstallError(error) && error.code.startsWith('EPOLICY') && error.details.length > 0) {
      for (const d of error.details) {
        const where = d.location ? `${shown(d.location.file)}:${d.location.line}:${d.location.column}: ` : '';
        writeError(`${where}${escapeLine(d.message)}\n`);
      }
      writeError(`${error.details.length} problem${error.details.length === 1 ? '' : 's'} in ${shown(error.location?.file ?? resolve(cwd, args.file ?? POLICY_FILE_NAME))}\n`);
      return 2;
    }
    const { text, exitCode } = renderError(error);
    writeError(text);
    return isSafeInstallError(error) && error.code.startsWith('EPOLICY') ? 2 : exitCode;
  }
}

// Keep one problem on one line: values from the file may hold control characters.
function escapeLine(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
