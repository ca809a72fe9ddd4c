// The one place errors become text and exit codes (npm's error-message.js, pnpm's PnpmError): a SafeInstallError
// gives its code, message, location, located details and hint; anything else is a bug, said in one line.
// Text is redacted (tokens) and escaped (package-derived names and paths) before it is returned.
import { isSafeInstallError, type ErrorCode, type ErrorLocation } from '../errors.js';
import { escapeForTerminal } from '../text/escape-for-terminal.js';
import { redactSecrets } from './redact-secrets.js';

export interface RenderErrorOptions {
  /** Show stack traces and causes. @default process.env.SAFE_INSTALL_DEBUG === '1' */
  debug?: boolean;
}

/** Exit 2: the user can fix the command line or the policy. Exit 3: the host cannot sandbox. Else 1. */
export function exitCodeFor(code: ErrorCode): number {
  if (code === 'EUSAGE' || code.startsWith('EPOLICY_')) return 2;
  if (code === 'ESANDBOX_UNAVAILABLE') return 3;
  return 1;
}

const clean = (text: string, multiline = false) => escapeForTerminal(redactSecrets(text), { multiline, maxLength: 2000 });
const where = (location: ErrorLocation) => `${clean(location.file)}:${location.line}:${location.column}`;

// Turn anything thrown into the text to print on stderr and the exit code to end with.
export function renderError(err: unknown, options: RenderErrorOptions = {}): { text: string; exitCode: number } {
  const debug = options.debug ?? process.env.SAFE_INSTALL_DEBUG === '1';
  if (!isSafeInstallError(err) || err.code === 'EINTERNAL') {
    const message = err instanceof Error ? err.message : String(err);
    const firstLine = message.split('\n')[0] || (err instanceof Error ? err.name : 'unknown error');
    const lines = [`safe-install: internal error: ${clean(firstLine)}`];
    if (debug) lines.push(...debugLines(err));
    else lines.push('This is a bug in safe-install; please report it, with the output of the same command run with SAFE_INSTALL_DEBUG=1.');
    return { text: `${lines.join('\n')}\n`, exitCode: 1 };
  }
  const lines = [`safe-install: ${clean(err.message)} (${err.code})`];
  if (err.location) lines.push(`  at ${where(err.location)}`);
  for (const detail of err.details) {
    // A detail whose message already names its path is not prefixed twice.
    const path = detail.path && !detail.message.startsWith(`${detail.path}:`) ? `${clean(detail.path)}: ` : '';
    const at = detail.location ? ` (${where(detail.location)})` : '';
    lines.push(`  - ${path}${clean(detail.message)}${at}`);
  }
  if (err.hint) lines.push(`hint: ${clean(err.hint)}`);
  if (debug) lines.push(...debugLines(err));
  return { text: `${lines.join('\n')}\n`, exitCode: exitCodeFor(err.code) };
}

// The stack and the chain of causes, redacted, for SAFE_INSTALL_DEBUG=1.
function debugLines(err: unknown): string[] {
  const lines: string[] = [];
  let current: unknown = err;
  for (let depth = 0; current !== undefined && depth < 5; depth += 1) {
    const text = current instanceof Error ? current.stack ?? String(current) : String(current);
    lines.push(`${depth === 0 ? 'debug:' : 'caused by:'} ${clean(text, true)}`);
    current = current instanceof Error ? current.cause : undefined;
  }
  return lines;
}
