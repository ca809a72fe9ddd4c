// Map parsed syscalls of one lifecycle script to attributed SandboxEvents (pure).
import { posix } from 'node:path';
import type { EventDecision, EventKind, SandboxEvent } from '../../../events/types.js';
import type { Syscall, TraceContext } from './types.js';
import { isUnder, sensitivePathMatcher } from './sensitive-paths.js';
import { isExpectedHomeWrite, isExpectedRead, programName } from './expected-attempts.js';

// Errnos that mean the sandbox (read-only binds, hidden files, no network) refused the attempt.
const FS_DENIED = new Set(['EROFS', 'EACCES', 'EPERM']);
const WRITE_OPEN = /\b(O_WRONLY|O_RDWR|O_CREAT|O_TRUNC|O_APPEND)\b/;
const DELETES = new Set(['unlink', 'unlinkat', 'rmdir']);
const META_WRITES = new Set(['mkdir', 'mkdirat', 'mknod', 'mknodat', 'chmod', 'fchmodat', 'fchmodat2', 'chown', 'lchown', 'fchownat', 'truncate']);
const MOVES = new Set(['rename', 'renameat', 'renameat2', 'link', 'linkat', 'symlink', 'symlinkat']);
const EXEC_ARGV_LIMIT = 300;
const REFUSED_MOVE = new Set(['EXDEV', 'EROFS', 'EACCES', 'EPERM']);

type Draft = SandboxEvent;

// Map syscalls to events: bwrap's setup before `ctx.startExec` is dropped, identical events are merged with a count.
export function syscallsToEvents(calls: Syscall[], ctx: TraceContext): SandboxEvent[] {
  const sensitive = ctx.sensitive ?? sensitivePathMatcher(ctx);
  const drafts: Draft[] = [];
  const inProgress = new Map<string, Draft>(); // socket -> connect waiting for getsockopt(SO_ERROR)
  let started = ctx.startExec === undefined;
  let t0: number | undefined;
  const cwds = new Map<number, string>(); // pid -> last known cwd
  const links = new Map<string, string>(); // symlinks the script made: link path -> resolved target
  // Programs the script started (npm for node npm-cli.js). A thread's pid cannot be tied to its process
  // cheaply (strace's --pidns-translation costs ~120 ms per node start), so a tool's start-up lookup is
  // judged against every program of the script: running npm and reading ~/.npmrc yourself is not flagged,
  // which gains an attacker nothing, since the file is absent either way.
  const programs = new Set<string>();
  for (const call of calls) if ((call.name === 'execve' || call.name === 'execveat') && call.ret === 0 && call.path !== undefined) programs.add(programName(call.path, call.execArgv));
  for (const raw of calls) {
    const call = withCwd(raw, cwds);
    if (!started) {
      if (call.name === 'execve' && call.ret === 0 && call.path === ctx.startExec) started = true;
      else continue;
    }
    if (t0 === undefined && call.time !== undefined) t0 = call.time;
    const base = (kind: EventKind, target: string, decision: EventDecision, detail: string): Draft => ({
      package: ctx.package, path: ctx.path, script: ctx.script, kind, target, decision, tier: 'process', source: 'strace',
      detail, pid: call.pid, at: call.time !== undefined && t0 !== undefined ? Math.round((call.time - t0) * 1e4) / 10 : undefined,
    });
    if (call.name.startsWith('symlink') && call.ret === 0 && call.path !== undefined && call.path2 !== undefined) {
      const link = resolve(call.path2, call.dir2, ctx).path;
      links.set(link, posix.resolve(posix.dirname(link), call.path));
    }
    for (const e of mapCall(call, ctx, sensitive, base, inProgress, (p) => followLinks(p, links))) {
      if (isExpected(e, programs, ctx.home, ctx.projectDir)) e.expected = true;
      drafts.push(e);
    }
  }
  return dedupe(drafts);
}

// A refused attempt that is a tool's usual start-up (npm reading ~/.npmrc, caches in HOME): reported, not a deviation.
function isExpected(event: Draft, programs: Set<string>, home: string, projectDir: string): boolean {
  if (event.decision !== 'denied') return false;
  const any = (judge: (program: string | undefined) => boolean) => judge(undefined) || [...programs].some(judge);
  if (event.kind === 'fs.read') return any((program) => isExpectedRead(event.target, program, home, projectDir));
  if (event.kind === 'fs.write' || event.kind === 'fs.delete') return (event.detail ?? '').includes('synthetic HOME') && any((program) => isExpectedHomeWrite(event.target, program, home));
  return false;
}

// Learn cwds from `AT_FDCWD</cwd>`, chdir and fchdir; fill the dir of calls that do not show it (rename, mkdir, unlink).
function withCwd(call: Syscall, cwds: Map<number, string>): Syscall {
  const known = cwds.get(call.pid);
  if (call.cwd !== undefined) cwds.set(call.pid, call.cwd);
  if (call.ret === 0 && call.path !== undefined && (call.name === 'chdir' || call.name === 'fchdir')) {
    if (call.path.startsWith('/')) cwds.set(call.pid, posix.normalize(call.path));
    else if (known !== undefined) cwds.set(call.pid, posix.resolve(known, call.path));
    else cwds.delete(call.pid);
  }
  if (known === undefined || (!call.cwdRelative && !call.cwdRelative2)) return call;
  return { ...call, dir: call.cwdRelative ? known : call.dir, dir2: call.cwdRelative2 ? known : call.dir2 };
}

// Follow the symlinks this script created, so a failed open through one (the target is hidden) is judged by its target.
function followLinks(path: string, links: Map<string, string>): string {
  let p = path;
  for (let hops = 0; hops < 8 && links.size > 0; hops++) {
    const parts = p.split('/');
    let changed = false;
    for (let i = parts.length; i > 1; i--) {
      const target = links.get(parts.slice(0, i).join('/'));
      if (target !== undefined) { p = posix.join(target, ...parts.slice(i)); changed = true; break; }
    }
    if (!changed) break;
  }
  return p;
}

type Make = (kind: EventKind, target: string, decision: EventDecision, detail: string) => Draft;

function mapCall(call: Syscall, ctx: TraceContext, sensitive: (p: string) => boolean, make: Make,
  inProgress: Map<string, Draft>, follow: (p: string) => string): Draft[] {
  const name = call.name;
  if (['open', 'openat', 'openat2', 'creat'].includes(name)) return mapOpen(call, ctx, sensitive, make, follow);
  if (DELETES.has(name) || (META_WRITES.has(name))) {
    if (call.path === undefined) return [];
    const target = resolve(call.path, call.dir, ctx);
    const rmdir = name === 'rmdir' || /AT_REMOVEDIR/.test(call.flags ?? '');
    if (DELETES.has(name) && call.errno === 'ENOENT' && (!sensitive(target.path) || writableFor(target.path, ctx))) return []; // nothing was there
    if (name.startsWith('mkdir') && call.errno === 'EEXIST') return []; // `mkdir -p` on an existing dir writes nothing
    const j = judgeWrite(target.path, call, ctx, sensitive);
    return [make(DELETES.has(name) ? 'fs.delete' : 'fs.write', target.path, j.decision, detail(rmdir ? 'rmdir' : name, '', call, [j.note, target.note]))];
  }
  if (MOVES.has(name)) {
    if (call.path2 === undefined) return [];
    const dest = resolve(call.path2, call.dir2, ctx);
    const j = judgeWrite(dest.path, call, ctx, sensitive);
    if (name.startsWith('symlink')) return [make('fs.write', dest.path, j.decision, detail(name, `-> ${call.path ?? '?'}`, call, [j.note, dest.note]))];
    const src = resolve(call.path ?? '', call.dir, ctx);
    const out = [make('fs.write', dest.path, j.decision, detail(name, `from ${src.path}`, call, [j.note, dest.note]))];
    // a moved file is gone from its source; a refused move changed nothing there, but moving a file out of a
    // place the script may not write (another package: EXDEV across binds, EROFS) is an attempt worth reporting
    if (name.startsWith('rename') && call.errno === undefined) out.push(make('fs.delete', src.path, j.decision, detail(name, `to ${dest.path}`, call, [j.note, src.note])));
    else if (name.startsWith('rename') && REFUSED_MOVE.has(call.errno ?? '') && ![ctx.pkgDir, ...(ctx.writable ?? [])].some((d) => isUnder(src.path, d))) {
      out.push(make('fs.delete', src.path, 'denied', detail(name, `to ${dest.path}`, call, [src.note])));
    }
    return out;
  }
  if (name === 'execve' || name === 'execveat') return mapExec(call, ctx, make);
  if (name === 'connect') return mapConnect(call, ctx, make, inProgress);
  if (name === 'getsockopt' && call.soError !== undefined && call.socket !== undefined) {
    const d = inProgress.get(call.socket);
    if (d) {
      inProgress.delete(call.socket);
      const ok = call.soError === '0';
      d.decision = ok ? 'allowed' : 'denied';
      d.detail = ok ? 'connect: connected' : `connect: ${call.soError}`;
    }
  }
  return [];
}

function mapOpen(call: Syscall, ctx: TraceContext, sensitive: (p: string) => boolean, make: Make, follow: (p: string) => string): Draft[] {
  if (call.path === undefined || call.path === '') return [];
  const lit = resolve(call.path, call.dir, ctx);
  // `= 3</real/path>`: what the kernel opened after symlinks and `..`, the truthful target;
  // a failed open has none, so follow the symlinks the script itself made
  const target = call.retPath ?? follow(lit.path);
  const flags = call.flags ?? '';
  if (call.name === 'creat' || WRITE_OPEN.test(flags)) {
    const j = judgeWrite(target, call, ctx, sensitive);
    return [make('fs.write', target, j.decision, detail(call.name, flags, call, [j.note, lit.note, aliasNote(target, lit.path)]))];
  }
  const secret = sensitive(target) || sensitive(lit.path);
  if (!secret && !ctx.allReads) return [];
  if (!secret && call.errno === 'ENOENT') return [];
  if (secret && isUnder(target, ctx.pkgDir)) return ctx.allReads ? [make('fs.read', target, 'allowed', detail(call.name, flags, call, []))] : [];
  // A granted place is bound as it is on the host: a file missing there is missing, not hidden (a compiler
  // probing its include path in the node-gyp header cache, a tool looking for its config in a granted cache).
  if (call.errno === 'ENOENT' || call.errno === 'ENOTDIR') {
    if ([...(ctx.readable ?? []), ...(ctx.writable ?? [])].some((d) => isUnder(target, d))) return [];
  }
  const hidden = call.errno !== undefined && (FS_DENIED.has(call.errno) || call.errno === 'ENOENT' || call.errno === 'ENOTDIR');
  const note = secret && hidden ? 'hidden by the sandbox' : undefined;
  return [make('fs.read', target, secret && hidden ? 'denied' : 'allowed', detail(call.name, flags, call, [note, lit.note, aliasNote(target, lit.path)]))];
}

function aliasNote(target: string, literal: string): string | undefined {
  return target !== literal ? `opened as ${literal}` : undefined;
}

function mapExec(call: Syscall, ctx: TraceContext, make: Make): Draft[] {
  if (call.path === undefined) return [];
  // a shell or execvp trying each PATH entry: a miss ran nothing
  if (call.errno === 'ENOENT' || call.errno === 'ENOTDIR') return [];
  const target = resolve(call.path, call.dir, ctx);
  let argv = (call.execArgv ?? []).join(' ');
  let cut = call.execArgvTruncated === true;
  if (argv.length > EXEC_ARGV_LIMIT) { argv = argv.slice(0, EXEC_ARGV_LIMIT); cut = true; }
  const decision: EventDecision = call.errno !== undefined && FS_DENIED.has(call.errno) ? 'denied' : 'allowed';
  const errno = call.errno !== undefined ? ` (${call.errno})` : '';
  return [make('proc.exec', target.path, decision, argv + (cut ? ' …' : '') + errno)];
}

function mapConnect(call: Syscall, ctx: TraceContext, make: Make, inProgress: Map<string, Draft>): Draft[] {
  const sa = call.sockaddr;
  if (!sa || sa.family === 'AF_UNSPEC' || sa.family === 'AF_NETLINK') return [];
  let target: string;
  if (sa.family === 'AF_UNIX') target = sa.path ?? '(unnamed unix socket)';
  else if (sa.family === 'AF_INET6') target = `[${sa.host ?? '?'}]:${sa.port ?? '?'}`;
  else target = `${sa.host ?? '?'}:${sa.port ?? '?'}`;
  // the in-sandbox proxy forwarder: the proxy reports those connections itself
  if (ctx.proxyPort !== undefined && sa.port === ctx.proxyPort && (sa.host === '127.0.0.1' || sa.host === '::ffff:127.0.0.1')) return [];
  if (call.errno === undefined) return [make('net.connect', target, 'allowed', 'connect: connected')];
  if (call.errno === 'EINPROGRESS') {
    const d = make('net.connect', target, 'allowed', 'connect: in progress, result not traced (only in-sandbox listeners are reachable)');
    if (call.socket !== undefined) inProgress.set(call.socket, d);
    return [d];
  }
  // no network namespace access: every failure is the sandbox refusing
  return [make('net.connect', target, 'denied', `connect: ${call.errno}`)];
}

// Whether the sandbox binds `target` writable: the package's own directory or a write grant.
function writableFor(target: string, ctx: TraceContext): boolean {
  return [ctx.pkgDir, ...(ctx.writable ?? [])].some((d) => isUnder(target, d));
}

// Judge a write, delete or metadata change by its result and where it landed.
function judgeWrite(target: string, call: Syscall, ctx: TraceContext, sensitive: (p: string) => boolean): { decision: EventDecision; note?: string } {
  const writable = writableFor(target, ctx);
  const inHome = isUnder(target, ctx.home) && !writable;
  if (call.errno !== undefined) {
    if (FS_DENIED.has(call.errno)) return { decision: 'denied' };
    if (writable) return { decision: 'allowed' }; // a granted place: ENOENT, EEXIST… are the file system's answers
    if (inHome || (call.errno === 'ENOENT' && sensitive(target))) return { decision: 'denied', note: 'absent from the synthetic HOME' };
    return { decision: 'allowed' };
  }
  if (writable) return { decision: 'allowed' };
  if (inHome) return { decision: 'denied', note: 'contained in the synthetic HOME (tmpfs, discarded)' };
  if (isUnder(target, '/tmp')) return { decision: 'allowed', note: "in the sandbox's private /tmp" };
  return { decision: 'allowed' };
}

// Make a path absolute: against its dirfd/cwd decoration from `-y`, else against the package dir.
function resolve(path: string, dir: string | undefined, ctx: TraceContext): { path: string; note?: string } {
  if (path.startsWith('/')) return { path: posix.normalize(path) };
  if (dir !== undefined) return { path: posix.resolve(dir, path) };
  return { path: posix.resolve(ctx.pkgDir, path), note: 'relative path resolved against the package dir (cwd unknown)' };
}

function detail(syscall: string, extra: string, call: Syscall, notes: (string | undefined)[]): string {
  let s = extra ? `${syscall} ${extra}` : syscall;
  if (call.errno !== undefined) s += `: ${call.errno}`;
  if (call.unfinished) s += ': no result (process ended mid-call)';
  for (const n of notes) if (n) s += `; ${n}`;
  return s;
}

// Merge events with the same kind, target and decision; the first keeps its pid and time, the detail gets the count.
function dedupe(drafts: Draft[]): SandboxEvent[] {
  const byKey = new Map<string, { event: SandboxEvent; count: number }>();
  for (const d of drafts) {
    const event = { ...d };
    if (event.at === undefined) delete event.at;
    // two execs of one binary with different argv (node -e <payload>) are different actions
    const key = `${event.kind}\0${event.target}\0${event.decision}${event.kind === 'proc.exec' ? `\0${event.detail}` : ''}`;
    const seen = byKey.get(key);
    if (seen) seen.count++;
    else byKey.set(key, { event, count: 1 });
  }
  return [...byKey.values()].map(({ event, count }) => (count > 1 ? { ...event, detail: `${event.detail ?? ''} (x${count})` } : event));
}
