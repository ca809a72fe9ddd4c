// Under GitHub Actions (GITHUB_ACTIONS=true), print the annotations to stdout and append the Markdown summary
// to $GITHUB_STEP_SUMMARY. Anywhere else do nothing, so the caller can call it unconditionally.
import { appendFile } from 'node:fs/promises';
import { SafeInstallError } from '../errors.js';
import type { InstallReport } from './types.js';
import { githubAnnotations } from './github-annotations.js';
import type { SourceFiles } from './locate-package.js';
import { stepSummary } from './step-summary.js';

export interface PublishToGithubOptions extends SourceFiles {
  /** Environment to read GITHUB_ACTIONS and GITHUB_STEP_SUMMARY from. @default process.env */
  env?: NodeJS.ProcessEnv;
  /** Where workflow commands go; GitHub reads them from stdout. @default process.stdout.write */
  write?: (text: string) => void;
}

// Publish annotations and the step summary; true when running under GitHub Actions.
export async function publishToGithub(report: InstallReport, options: PublishToGithubOptions = {}): Promise<boolean> {
  const env = options.env ?? process.env;
  if (env.GITHUB_ACTIONS !== 'true') return false;
  const write = options.write ?? ((text: string) => void process.stdout.write(text));
  const lines = githubAnnotations(report, options);
  if (lines.length > 0) write(`${lines.join('\n')}\n`);
  const summaryFile = env.GITHUB_STEP_SUMMARY;
  if (summaryFile) {
    try {
      await appendFile(summaryFile, `${stepSummary(report)}\n`);
    } catch (error) {
      throw new SafeInstallError('EREPORT_IO', `could not append the step summary to ${summaryFile}: ${(error as Error).message}`, {
        hint: 'GITHUB_STEP_SUMMARY should name a writable file; GitHub Actions sets it for each step',
        cause: error,
      });
    }
  }
  return true;
}
