// Print an error the one way errors are printed (report/render-error), and return its exit code.
import { renderError } from '../report/index.js';

export function reportError(error: unknown): number {
  const { text, exitCode } = renderError(error);
  process.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
  return exitCode;
}
