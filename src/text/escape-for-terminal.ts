// Neutralise untrusted text (package names, paths, hosts, script output) before it reaches a terminal.
// Every C0/C1 control character except newline and tab becomes a visible escape, so a hostile string
// cannot move the cursor, recolour the screen, set the title, or fake a prompt. Over-long text is cut.

export interface EscapeOptions {
  /** Keep newlines (multi-line output); otherwise they are shown as \n. @default false */
  multiline?: boolean;
  /** Cut the text after this many characters. @default 4096 */
  maxLength?: number;
}

// Escape control characters and cut over-long text.
export function escapeForTerminal(text: string, options: EscapeOptions = {}): string {
  const max = options.maxLength ?? 4096;
  const cut = text.length > max;
  const body = cut ? text.slice(0, max) : text;
  let out = '';
  for (const ch of body) {
    const code = ch.codePointAt(0)!;
    if (ch === '\n') out += options.multiline ? '\n' : '\\n';
    else if (ch === '\t') out += '\t';
    else if (code < 0x20 || code === 0x7f || (code >= 0x80 && code <= 0x9f)) out += `\\x${code.toString(16).padStart(2, '0')}`;
    // Unicode line/paragraph separators and bidi overrides can also disguise text.
    else if (code === 0x2028 || code === 0x2029 || (code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069)) {
      out += `\\u${code.toString(16).padStart(4, '0')}`;
    } else out += ch;
  }
  return cut ? `${out}… [${text.length - max} more characters cut]` : out;
}
