// Parse one line of `strace -f -ttt -y` output into a Syscall (pure).
import type { SockAddr, Syscall } from './types.js';
import { closingParen, decodeStraceString, decodeEscapes, parseFdArg, splitArgs } from './decode-string.js';

/** What a line is, before unfinished/resumed halves are joined by the streaming parser. */
export type StraceLine =
  | { type: 'call'; call: Syscall }
  | { type: 'unfinished'; pid: number; time?: number; name: string; text: string }
  | { type: 'resumed'; pid: number; time?: number; name: string; text: string }
  | { type: 'other'; pid: number; text: string };

const PREFIX = /^(?:\[pid\s+(\d+)\]|(\d+))\s+/;
const TIMESTAMP = /^(\d+\.\d+|(\d\d):(\d\d):(\d\d(?:\.\d+)?))\s+/;
const UNFINISHED = /\s*<unfinished \.\.\.>\s*$/;

// Classify a line and parse what can be parsed without the lines around it.
export function classifyStraceLine(rawLine: string): StraceLine {
  let line = rawLine.replace(/\r?\n$/, '');
  let pid = 0;
  const p = PREFIX.exec(line);
  if (p) { pid = Number(p[1] ?? p[2]); line = line.slice(p[0].length); }
  let time: number | undefined;
  const t = TIMESTAMP.exec(line);
  if (t) {
    time = t[2] !== undefined ? Number(t[2]) * 3600 + Number(t[3]) * 60 + Number(t[4]) : Number(t[1]);
    line = line.slice(t[0].length);
  }
  let m = /^\+\+\+ exited with (\d+) \+\+\+/.exec(line);
  if (m) return { type: 'call', call: { pid, time, name: '+++exited', args: [], ret: null, exitCode: Number(m[1]) } };
  m = /^\+\+\+ killed by (SIG\w+)/.exec(line);
  if (m) return { type: 'call', call: { pid, time, name: '+++killed', args: [], ret: null, signal: m[1] } };
  m = /^--- (SIG\w+) (.*) ---$/.exec(line);
  if (m) return { type: 'call', call: { pid, time, name: '---signal', args: [m[2]], ret: null, signal: m[1] } };
  m = /^<\.\.\. (\w+) resumed>(.*)$/s.exec(line);
  if (m) return { type: 'resumed', pid, time, name: m[1], text: m[2] };
  m = /^(\w+)\(/.exec(line);
  if (!m) return { type: 'other', pid, text: line };
  if (UNFINISHED.test(line)) return { type: 'unfinished', pid, time, name: m[1], text: line.replace(UNFINISHED, '') };
  return { type: 'call', call: parseCallText(pid, time, line) };
}

// Parse one complete line; an `<unfinished ...>` half comes back with `unfinished: true`, other lines as undefined.
export function parseStraceLine(line: string): Syscall | undefined {
  const c = classifyStraceLine(line);
  if (c.type === 'call') return c.call;
  if (c.type === 'unfinished') return { ...parseCallText(c.pid, c.time, c.text + ')'), ret: null, unfinished: true };
  if (c.type === 'resumed') return { ...parseCallText(c.pid, c.time, `${c.name}(${c.text}`), args: [] };
  return undefined;
}

// Parse `name(args) = ret [ERRNO (text)]`.
export function parseCallText(pid: number, time: number | undefined, text: string): Syscall {
  const open = text.indexOf('(');
  const name = text.slice(0, open);
  const close = closingParen(text, open);
  const argText = close < 0 ? text.slice(open + 1) : text.slice(open + 1, close);
  const call: Syscall = { pid, time, name, args: splitArgs(argText), ret: null };
  if (close >= 0) parseReturn(call, text.slice(close + 1));
  describeArgs(call);
  return call;
}

function parseReturn(call: Syscall, rest: string): void {
  const m = /^\s*=\s*(\?|0x[0-9a-fA-F]+|-?\d+)/.exec(rest);
  if (!m) return;
  call.ret = m[1] === '?' ? null : Number(m[1]);
  let tail = rest.slice(m[0].length);
  // --pidns-translation: `= 2 /* 28966 in strace's PID NS */`, the pid as the host (and every other line) names it
  const ns = /^\s*\/\* (\d+) in strace's PID NS \*\//.exec(tail);
  if (ns) {
    call.retHostPid = Number(ns[1]);
    tail = tail.slice(ns[0].length);
  }
  if (tail.startsWith('<')) {
    const end = tail.indexOf('>');
    const deco = tail.slice(1, end < 0 ? undefined : end);
    if (deco.startsWith('/')) call.retPath = decodeEscapes(deco);
    tail = end < 0 ? '' : tail.slice(end + 1);
  }
  const e = /^\s+(E[A-Z0-9]+)\b/.exec(tail);
  if (e) call.errno = e[1];
}

// Argument positions: [dirfd, path, dirfd2, path2]; -1 when absent.
const PATH_ARGS: Record<string, [number, number, number?, number?]> = {};
for (const n of ['open', 'creat', 'truncate', 'mkdir', 'rmdir', 'unlink', 'chmod', 'chown', 'lchown', 'mknod', 'chdir',
  'execve', 'stat', 'lstat', 'access', 'readlink', 'statfs', 'chroot', 'utime', 'utimes', 'getxattr', 'lgetxattr',
  'setxattr', 'lsetxattr', 'listxattr', 'removexattr', 'uselib', 'swapon', 'acct', 'pivot_root']) PATH_ARGS[n] = [-1, 0];
for (const n of ['openat', 'openat2', 'mkdirat', 'unlinkat', 'fchmodat', 'fchmodat2', 'fchownat', 'mknodat', 'execveat',
  'newfstatat', 'fstatat64', 'faccessat', 'faccessat2', 'readlinkat', 'statx', 'utimensat', 'futimesat',
  'name_to_handle_at', 'open_tree', 'mount_setattr']) PATH_ARGS[n] = [0, 1];
for (const n of ['rename', 'link', 'symlink']) PATH_ARGS[n] = [-1, 0, -1, 1];
for (const n of ['renameat', 'renameat2', 'linkat']) PATH_ARGS[n] = [0, 1, 2, 3];
PATH_ARGS.symlinkat = [-1, 0, 1, 2];

// Fill path, dir, flags, execArgv, sockaddr and fd from the raw arguments.
function describeArgs(call: Syscall): void {
  const a = call.args;
  const spec = PATH_ARGS[call.name];
  if (spec) {
    const [d1, p1, d2, p2] = spec;
    if (a[p1]?.startsWith('"')) call.path = decodeStraceString(a[p1]).value;
    if (d1 >= 0 && a[d1] !== undefined) {
      const fd = parseFdArg(a[d1]);
      call.dir = fd.path;
      if (fd.cwd && fd.path !== undefined) call.cwd = fd.path;
      if (fd.cwd && fd.path === undefined) call.cwdRelative = true;
    } else if (d1 < 0) call.cwdRelative = true;
    if (p2 !== undefined && a[p2]?.startsWith('"')) call.path2 = decodeStraceString(a[p2]).value;
    if (d2 !== undefined && d2 >= 0 && a[d2] !== undefined) {
      const fd = parseFdArg(a[d2]);
      call.dir2 = fd.path;
      if (fd.cwd && fd.path === undefined) call.cwdRelative2 = true;
    } else if (d2 !== undefined) call.cwdRelative2 = true;
  }
  switch (call.name) {
    case 'open': call.flags = a[1]; break;
    case 'openat': call.flags = a[2]; break;
    case 'openat2': call.flags = /flags=([^,}]+)/.exec(a[2] ?? '')?.[1]; break;
    case 'creat': call.flags = 'O_WRONLY|O_CREAT|O_TRUNC'; break;
    case 'unlinkat': call.flags = a[2]; break;
    case 'renameat2': case 'linkat': call.flags = a[4]; break;
    case 'execve': case 'execveat': describeExec(call, a[call.name === 'execve' ? 1 : 2]); break;
    case 'fchdir': call.path = parseFdArg(a[0] ?? '').path; break;
    case 'connect': case 'bind': case 'sendto':
      describeSocket(call, a[0]);
      call.sockaddr = parseSockaddr(a[call.name === 'sendto' ? 4 : 1] ?? '');
      break;
    case 'getsockopt':
      describeSocket(call, a[0]);
      if (a[2] === 'SO_ERROR') {
        // `[ECONNREFUSED]`, `[0]`, or `[111 /* ECONNREFUSED */]` with -X verbose
        const v = /^\[(\w+)(?:\s*\/\*\s*(\w+)\s*\*\/)?\]/.exec(a[3] ?? '');
        if (v) call.soError = v[2] ?? v[1];
      }
      break;
  }
}

function describeSocket(call: Syscall, arg: string | undefined): void {
  const fd = parseFdArg(arg ?? '');
  call.fd = fd.fd;
  if (fd.fd !== undefined) call.socket = fd.deco?.startsWith('socket:') ? fd.deco : String(fd.fd);
}

function describeExec(call: Syscall, argv: string | undefined): void {
  if (!argv?.startsWith('[')) return;
  const body = argv.endsWith(']') ? argv.slice(1, -1) : argv.slice(1);
  const out: string[] = [];
  for (const el of splitArgs(body)) {
    if (el === '...' || el === '') { if (el === '...') call.execArgvTruncated = true; continue; }
    const d = decodeStraceString(el);
    if (d.truncated) call.execArgvTruncated = true;
    out.push(d.value);
  }
  if (!argv.endsWith(']')) call.execArgvTruncated = true;
  call.execArgv = out;
}

// Decode `{sa_family=AF_INET, sin_port=htons(9), sin_addr=inet_addr("127.0.0.1")}` and its INET6/UNIX forms.
export function parseSockaddr(text: string): SockAddr | undefined {
  const fam = /sa_family=(\w+)/.exec(text);
  if (!fam) return undefined;
  const addr: SockAddr = { family: fam[1] };
  const port = /sin6?_port=htons\((\d+)\)/.exec(text);
  if (port) addr.port = Number(port[1]);
  const v4 = /inet_addr\("([^"]*)"\)/.exec(text);
  const v6 = /inet_pton\(AF_INET6, "([^"]*)"/.exec(text);
  if (v4) addr.host = v4[1];
  else if (v6) addr.host = v6[1];
  const un = /sun_path=(@?)("(?:[^"\\]|\\.)*"(?:\.\.\.)?)/.exec(text);
  if (un) addr.path = un[1] + decodeStraceString(un[2]).value;
  return addr;
}
