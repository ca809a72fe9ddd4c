// Errors safe-install raises on purpose: a code, a message naming the bad value, and a hint naming the fix.
// report/render-error.ts turns them into text and exit codes; nothing else prints them.

export type ErrorCode =
  | 'EUSAGE' // bad command-line arguments
  | 'EPOLICY_PARSE' // policy file is not valid JSON
  | 'EPOLICY_INVALID' // policy file is JSON but breaks the schema
  | 'EPOLICY_IO' // policy file cannot be read or written
  | 'ESANDBOX_UNAVAILABLE' // bubblewrap missing or cannot create namespaces
  | 'ENPM' // npm itself failed to start
  | 'ECONTROL' // shim could not reach or talk to the controller
  | 'EREPORT_IO' // a report could not be written
  | 'EINTERNAL';

export interface ErrorLocation {
  file: string;
  line: number; // 1-based
  column: number; // 1-based
}

export interface SafeInstallErrorOptions {
  hint?: string;
  /** Where in a file the problem is (policy errors). */
  location?: ErrorLocation;
  /** Further located problems, when a file has several. */
  details?: { message: string; location?: ErrorLocation; path?: string }[];
  cause?: unknown;
}

// Raise an error with a stable code, a message and a hint for the user.
export class SafeInstallError extends Error {
  readonly code: ErrorCode;
  readonly hint?: string;
  readonly location?: ErrorLocation;
  readonly details: { message: string; location?: ErrorLocation; path?: string }[];

  constructor(code: ErrorCode, message: string, options: SafeInstallErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'SafeInstallError';
    this.code = code;
    this.hint = options.hint;
    this.location = options.location;
    this.details = options.details ?? [];
  }
}

// Tell a SafeInstallError from any other thrown value.
export function isSafeInstallError(value: unknown): value is SafeInstallError {
  return value instanceof SafeInstallError;
}
