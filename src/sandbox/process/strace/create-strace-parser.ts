// Turn a stream of strace output chunks into Syscalls, joining `<unfinished ...>` / `<... resumed>` halves per pid.
import type { Syscall } from './types.js';
import { classifyStraceLine, parseCallText } from './parse-strace-line.js';

export interface StraceParser {
  /** Feed raw text; lines may be split across chunks. Returns the syscalls completed by this chunk. */
  push(chunk: string): Syscall[];
  /** Flush the last partial line and every call still waiting for its resume (marked `unfinished`). */
  end(): Syscall[];
}

interface Pending { name: string; text: string; time?: number }

// Create a parser for one strace output stream (one lifecycle script).
export function createStraceParser(): StraceParser {
  let rest = '';
  const pending = new Map<number, Pending>();

  const flushPending = (pid: number, out: Syscall[]): void => {
    const p = pending.get(pid);
    if (!p) return;
    pending.delete(pid);
    out.push({ ...parseCallText(pid, p.time, p.text + ')'), ret: null, unfinished: true });
  };

  const handleLine = (line: string, out: Syscall[]): void => {
    if (line.trim() === '') return;
    const c = classifyStraceLine(line);
    switch (c.type) {
      case 'unfinished':
        flushPending(c.pid, out); // a pid has at most one call in flight
        pending.set(c.pid, { name: c.name, text: c.text, time: c.time });
        return;
      case 'resumed': {
        const p = pending.get(c.pid);
        if (p && p.name === c.name) {
          pending.delete(c.pid);
          out.push(parseCallText(c.pid, p.time, p.text + c.text));
        } else {
          // the first half was lost (trace started mid-call): keep what the second half says
          flushPending(c.pid, out);
          out.push({ ...parseCallText(c.pid, c.time, `${c.name}(${c.text}`), args: [] });
        }
        return;
      }
      case 'call':
        // an exit or kill ends whatever the pid was doing: its pending call never returns
        if (c.call.name === '+++exited' || c.call.name === '+++killed') flushPending(c.call.pid, out);
        out.push(c.call);
        return;
      case 'other':
        return;
    }
  };

  return {
    push(chunk: string): Syscall[] {
      const out: Syscall[] = [];
      const text = rest + chunk;
      const lines = text.split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) handleLine(line, out);
      return out;
    },
    end(): Syscall[] {
      const out: Syscall[] = [];
      if (rest !== '') handleLine(rest, out);
      rest = '';
      for (const pid of [...pending.keys()]) flushPending(pid, out);
      return out;
    },
  };
}
