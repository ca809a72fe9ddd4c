// `safe-install report FILE [--format human|json|sarif|markdown]`: render a saved JSON report.
// Errors go through renderError like every other command; the return value is the exit code.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SafeInstallError } from '../../errors.js';
import { readSavedReport, renderError, renderHuman, stepSummary, toSarif } from '../../report/index.js';

export const REPORT_FORMATS = ['human', 'json', 'sarif', 'markdown'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export interface ReportCommandArgs {
  /** The JSON report written by `--report FILE`. */
  file: string;
  /** Output format. @default 'human' */
  format?: ReportFormat;
  /** Colour human output. @default stdout is a TTY and NO_COLOR is unset */
  color?: boolean;
  /** Show every item in human output. @default false */
  verbose?: boolean;
  /** Where output goes. @default process.stdout.write */
  write?: (text: string) => void;
  /** Where errors go. @default process.stderr.write */
  writeError?: (text: string) => void;
}

// Render a saved report in the chosen format; returns 0, or the error's exit code.
export async function runReportCommand(args: ReportCommandArgs): Promise<number> {
  const write = args.write ?? ((text: string) => void process.stdout.write(text));
  const writeError = args.writeError ?? ((text: string) => void process.stderr.write(text));
  try {
    const format = args.format ?? 'human';
    if (!REPORT_FORMATS.includes(format)) {
      throw new SafeInstallError('EUSAGE', `unknown report format "${format}"`, { hint: `use one of: ${REPORT_FORMATS.join(', ')}` });
    }
    const report = await readSavedReport(args.file);
    switch (format) {
      case 'human': {
        const color = args.color ?? (Boolean(process.stdout.isTTY) && !('NO_COLOR' in process.env));
        write(renderHuman(report, { color, verbose: args.verbose }));
        break;
      }
      case 'json': write(`${JSON.stringify(report, null, 2)}\n`); break;
      case 'sarif': {
        // Line numbers come from the project's lockfile when it is still there; package.json otherwise.
        const lockfileText = await readFile(join(report.projectDir, 'package-lock.json'), 'utf8').catch(() => undefined);
        write(`${JSON.stringify(toSarif(report, { lockfileText }), null, 2)}\n`);
        break;
      }
      case 'markdown': write(stepSummary(report)); break;
    }
    return 0;
  } catch (error) {
    const { text, exitCode } = renderError(error);
    writeError(text);
    return exitCode;
  }
}
