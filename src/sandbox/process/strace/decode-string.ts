// Decode strace's quoted strings and split its argument lists (pure helpers of the line parser).

const SIMPLE_ESCAPES: Record<string, number> = { n: 10, t: 9, r: 13, v: 11, f: 12, a: 7, b: 8, e: 27, '"': 34, '\\': 92, "'": 39 };

// Decode one strace string literal (with or without its quotes and a trailing `...`) to text;
// bytes are read back as UTF-8 so `\303\251` and `\xc3\xa9` both give `é`.
export function decodeStraceString(literal: string): { value: string; truncated: boolean } {
  let s = literal.trim();
  let truncated = false;
  if (s.endsWith('...') && !s.endsWith('"')) { truncated = true; s = s.slice(0, -3); }
  if (s.startsWith('@"')) s = s.slice(1); // abstract unix socket marker, kept by the caller
  if (s.startsWith('"') && s.endsWith('"') && s.length >= 2) s = s.slice(1, -1);
  return { value: decodeEscapes(s), truncated };
}

// Decode C-style escapes (\n, \", \\, octal \303, hex \xc3) in text strace printed, reading bytes as UTF-8.
export function decodeEscapes(s: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c !== '\\' || i + 1 >= s.length) { pushChar(bytes, c); continue; }
    const n = s[i + 1];
    if (n === 'x' && /^[0-9a-fA-F]{2}$/.test(s.slice(i + 2, i + 4))) {
      bytes.push(parseInt(s.slice(i + 2, i + 4), 16)); i += 3;
    } else if (/[0-7]/.test(n)) {
      const m = /^[0-7]{1,3}/.exec(s.slice(i + 1))![0];
      bytes.push(parseInt(m, 8) & 0xff); i += m.length;
    } else if (n in SIMPLE_ESCAPES) {
      bytes.push(SIMPLE_ESCAPES[n]); i += 1;
    } else { pushChar(bytes, n); i += 1; }
  }
  return Buffer.from(bytes).toString('utf8');
}

function pushChar(bytes: number[], c: string): void {
  const code = c.charCodeAt(0);
  if (code < 0x80) bytes.push(code);
  else bytes.push(...Buffer.from(c, 'utf8'));
}

// Length of the string literal starting at s[i] === '"', including both quotes.
export function quotedLength(s: string, i: number): number {
  let j = i + 1;
  while (j < s.length && s[j] !== '"') j += s[j] === '\\' ? 2 : 1;
  return Math.min(j + 1, s.length) - i;
}

// Split `a, "b,c", [d, e], {f=1, g=2}, 3</x,y>` at top-level commas; strings, brackets,
// comments and `-y` fd decorations (`<...>` right after a word) stay whole.
export function splitArgs(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '"') { i += quotedLength(s, i) - 1; continue; }
    if (c === '/' && s[i + 1] === '*') { const e = s.indexOf('*/', i + 2); i = e < 0 ? s.length : e + 1; continue; }
    if (c === '<' && i > 0 && /\w/.test(s[i - 1])) { const e = s.indexOf('>', i); i = e < 0 ? s.length : e; continue; }
    if (c === '[' || c === '{' || c === '(') depth++;
    else if (c === ']' || c === '}' || c === ')') depth--;
    else if (c === ',' && depth === 0) { out.push(s.slice(start, i).trim()); start = i + 1; }
  }
  const last = s.slice(start).trim();
  if (last !== '' || out.length > 0) out.push(last);
  return out;
}

// Find the `)` that closes the argument list opened at s[open] === '('.
export function closingParen(s: string, open: number): number {
  let depth = 0;
  for (let i = open; i < s.length; i++) {
    const c = s[i];
    if (c === '"') { i += quotedLength(s, i) - 1; continue; }
    if (c === '/' && s[i + 1] === '*') { const e = s.indexOf('*/', i + 2); i = e < 0 ? s.length : e + 1; continue; }
    if (c === '<' && i > 0 && /\w/.test(s[i - 1])) { const e = s.indexOf('>', i); i = e < 0 ? s.length : e; continue; }
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') { depth--; if (depth === 0) return i; }
  }
  return -1;
}

// Split an fd argument `3</dir>` or `AT_FDCWD</cwd>` into its number (AT_FDCWD: -100) and decoded decoration.
export function parseFdArg(arg: string): { fd?: number; path?: string; deco?: string; cwd?: boolean } {
  const m = /^(-?\d+|AT_FDCWD)(?:<(.*)>)?$/s.exec(arg.trim());
  if (!m) return {};
  const fd = m[1] === 'AT_FDCWD' ? -100 : Number(m[1]);
  const deco = m[2];
  // pipes, sockets and anon inodes decorate as `socket:[123]`: not a path
  const path = deco !== undefined && deco.startsWith('/') ? decodeEscapes(deco) : undefined;
  return { fd, path, deco, cwd: m[1] === 'AT_FDCWD' };
}
