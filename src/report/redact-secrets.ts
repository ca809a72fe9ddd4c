// Hide credentials in text before it is printed or saved: an error message can quote an .npmrc line,
// a URL with a password, or an environment dump. Each pattern keeps a recognisable prefix and drops the secret.

const PATTERNS: [RegExp, string][] = [
  // .npmrc lines: //registry.npmjs.org/:_authToken=..., _auth=..., _password=...
  [/(_(?:authToken|auth|password)\s*=\s*)("[^"]*"|\S+)/gi, '$1***'],
  // Credentials inside URLs: https://user:secret@host
  [/\b([a-z][a-z0-9+.-]*:\/\/)[^/\s:@]+:[^/\s@]+@/gi, '$1***@'],
  // HTTP authorization headers; the digit lookahead keeps prose like "Bearer tokens" intact.
  [/\b(Bearer|Basic)(\s+)(?=[A-Za-z._~+/=-]*[0-9])[A-Za-z0-9._~+/=-]{8,}/gi, '$1$2***'],
  // npm tokens.
  [/\bnpm_[A-Za-z0-9]{20,}/g, 'npm_***'],
  // GitHub tokens: classic (ghp_, gho_, ghu_, ghs_, ghr_) and fine-grained.
  [/\bgithub_pat_[A-Za-z0-9_]{20,}/g, 'github_pat_***'],
  [/\b(gh[pousr])_[A-Za-z0-9]{20,}/g, '$1_***'],
  // AWS access key ids.
  [/\b(AKIA|ASIA)[A-Z0-9]{16}\b/g, '$1***'],
];

// Replace every credential-looking part of the text with `***`.
export function redactSecrets(text: string): string {
  return PATTERNS.reduce((out, [pattern, replacement]) => out.replace(pattern, replacement), text);
}
