// Recognise, conservatively, the lifecycle scripts the isolate tier can run: `node <file> [args]`
// and `node -e <code> [args]`. Anything else (shell operators, env assignments, expansions,
// node options) stays in the process tier, with the reason. Pure.

export type NodeCommand =
  | { kind: 'file'; file: string; args: string[]; orTrue?: true }
  | { kind: 'eval'; code: string; args: string[]; orTrue?: true };

/** A trailing `|| true`, `|| exit 0` or `|| :` only turns a failure into success: the isolate can do that. */
const OR_TRUE = /\s*\|\|\s*(true|exit\s+0|:)\s*$/;

/** Characters allowed in an unquoted word: no expansion, globbing, redirection or operator. */
const PLAIN = /^[A-Za-z0-9_@%+=:,./-]+$/;

// Parse a script body; a string result is the reason it stays in the process tier.
export function parseNodeCommand(command: string): NodeCommand | string {
  const orTrue = OR_TRUE.test(command);
  const parsed = parseSimple(orTrue ? command.replace(OR_TRUE, '') : command);
  return typeof parsed === 'string' || !orTrue ? parsed : { ...parsed, orTrue };
}

function parseSimple(command: string): NodeCommand | string {
  const words = splitWords(command.trim());
  if (typeof words === 'string') return words;
  if (words.length === 0) return 'empty script';
  if (words[0] !== 'node') return /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[0]) ? 'sets environment variables' : 'not a `node` command';
  const rest = words.slice(1);
  if (rest[0] === '-e' || rest[0] === '--eval') {
    if (rest.length < 2) return '`node -e` without code';
    return { kind: 'eval', code: rest[1], args: rest.slice(2) };
  }
  if (rest[0] === '--') rest.shift();
  if (rest.length === 0) return '`node` without a file (reads stdin)';
  if (rest[0].startsWith('-')) return `node option ${rest[0]}`;
  return { kind: 'file', file: rest[0], args: rest.slice(1) };
}

// Split like sh would for the safe subset: plain words, '…' and "…" without $, ` or \.
function splitWords(text: string): string[] | string {
  const words: string[] = [];
  let i = 0;
  while (i < text.length) {
    while (text[i] === ' ' || text[i] === '\t') i++;
    if (i >= text.length) break;
    let word = '';
    while (i < text.length && text[i] !== ' ' && text[i] !== '\t') {
      const c = text[i];
      if (c === "'") {
        const end = text.indexOf("'", i + 1);
        if (end < 0) return 'unbalanced quote';
        word += text.slice(i + 1, end);
        i = end + 1;
      } else if (c === '"') {
        const end = text.indexOf('"', i + 1);
        if (end < 0) return 'unbalanced quote';
        const inner = text.slice(i + 1, end);
        if (/[$`\\]/.test(inner)) return 'shell expansion inside double quotes';
        word += inner;
        i = end + 1;
      } else {
        let j = i;
        while (j < text.length && !/[\s'"]/.test(text[j])) j++;
        const plain = text.slice(i, j);
        if (!PLAIN.test(plain)) return `shell syntax (${JSON.stringify(plain.slice(0, 20))})`;
        word += plain;
        i = j;
      }
    }
    words.push(word);
  }
  return words;
}
