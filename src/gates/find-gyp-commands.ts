// Find the shell commands a binding.gyp or .gypi file makes node-gyp run: command expansions
// (`<!(cmd)`, `<!@(cmd)`, and the late `>!` / `^!` forms) run while gyp reads the file, and `action`
// lists run during the build. "Phantom Gyp" attacks hide payloads there, outside package.json (pure).

export interface GypCommand {
  /** Path of the file inside the package (`binding.gyp`, `src/common.gypi`). */
  file: string;
  /** 1-based line of the command's start. */
  line: number;
  kind: 'expansion' | 'action';
  /** The command as written, whitespace collapsed, cut to 300 characters. Untrusted. */
  text: string;
}

const EXPANSION = /[<>^]!@?(?:pymod_do_main)?\(/g;
const ACTION = /['"]action['"]\s*:\s*\[/g;
const MAX_TEXT = 300;

// List every command expansion and action in one gyp file's text, in file order.
export function findGypCommands(text: string, file: string): GypCommand[] {
  const out: GypCommand[] = [];
  for (const match of text.matchAll(EXPANSION)) {
    const open = match.index! + match[0].length - 1;
    const end = closing(text, open, '(', ')');
    out.push({ file, line: lineAt(text, match.index!), kind: 'expansion', text: clip(text.slice(match.index!, end + 1)) });
  }
  for (const match of text.matchAll(ACTION)) {
    const open = match.index! + match[0].length - 1;
    const end = closing(text, open, '[', ']');
    out.push({ file, line: lineAt(text, match.index!), kind: 'action', text: clip(text.slice(open, end + 1)) });
  }
  return out.sort((a, b) => a.line - b.line || (a.kind < b.kind ? -1 : 1));
}

// Index of the bracket closing the one at `open`, skipping quoted strings; the text's end when unbalanced.
function closing(text: string, open: number, left: string, right: string): number {
  let depth = 0;
  let quote: string | undefined;
  for (let i = open; i < text.length; i++) {
    const ch = text[i];
    if (quote) {
      if (ch === '\\') i++;
      else if (ch === quote) quote = undefined;
      continue;
    }
    // Inside an expansion the command is shell text, where quotes may be unbalanced: only track them in lists.
    if ((ch === '"' || ch === "'") && left === '[') quote = ch;
    else if (ch === left) depth++;
    else if (ch === right && --depth === 0) return i;
  }
  return text.length - 1;
}

function lineAt(text: string, index: number): number {
  let line = 1;
  for (let i = 0; i < index; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

function clip(s: string): string {
  const flat = s.replace(/\s+/g, ' ').trim();
  return flat.length > MAX_TEXT ? `${flat.slice(0, MAX_TEXT)}…` : flat;
}
