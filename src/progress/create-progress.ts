// Show scripts while they run. On a terminal (live mode) a line per running script is drawn in place on
// stderr and removed when the script ends; elsewhere (lines mode) one plain line per finished script.
//
// npm shares the terminal: its spinner redraws the line under the cursor, and the output of dependency
// scripts is held back by npm until the end. So the live area sits above the cursor line (npm's spinner
// keeps its line), is only ever moved over while no one else writes, and disappears (collapses) when no
// script runs, before npm prints its closing lines. A root-project script runs in the foreground and
// writes to the terminal itself: while one runs, nothing is drawn, so the cursor never moves over its output.
import type { ScriptRecord } from '../report/types.js';
import { formatFinished, formatRunning, type RunningScript } from './format-progress.js';

/** How the display behaves: `live` redraws in place, `lines` prints finished scripts, `off` prints nothing. */
export type ProgressMode = 'live' | 'lines' | 'off';

/** The script being started, as the controller passes it (ActiveScript has this shape). */
export interface StartedScript {
  identity: { name: string; version: string; path: string; isRoot: boolean };
  event: string;
}

export interface Progress {
  /** The controller's onStart hook. */
  start(script: StartedScript): void;
  /** The controller's onEnd hook. */
  end(record: ScriptRecord): void;
  /** Run `ask` with the live area cleared (a question is on screen), then draw it again. */
  pause<T>(ask: () => Promise<T>): Promise<T>;
  /** Clear the area and stop redrawing; call before the summary. */
  stop(): void;
}

export interface ProgressOptions {
  mode: ProgressMode;
  /** Also leave a line per finished script in live mode. @default false */
  verbose?: boolean;
  /** @default process.stderr */
  stream?: NodeJS.WriteStream | (NodeJS.WritableStream & { columns?: number; rows?: number });
  /** Redraw interval of the live area (elapsed times). @default 1000 */
  intervalMs?: number;
  now?: () => number;
}

// Choose the mode from the terminal and the flags: live only on a colour-capable TTY.
export function chooseProgressMode({ tty, quiet, env }: { tty: boolean; quiet: boolean; env: NodeJS.ProcessEnv }): ProgressMode {
  if (quiet) return 'off';
  if (!tty || env.NO_COLOR !== undefined || env.TERM === 'dumb') return 'lines';
  return 'live';
}

const ESC = '\x1b[';

// Create the display; its hooks never throw.
export function createProgress(options: ProgressOptions): Progress {
  const stream = options.stream ?? process.stderr;
  const now = options.now ?? Date.now;
  const running = new Map<number, RunningScript & { key: string; root: boolean }>();
  let nextId = 0;
  let drawn = 0; // lines of the live area on screen, above the cursor
  let paused = 0;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const size = () => ({ columns: Math.max(20, (stream as { columns?: number }).columns ?? 80), rows: Math.max(3, ((stream as { rows?: number }).rows ?? 24) - 4) });

  // The live area may be drawn: a terminal, nobody asking, no foreground (root) script writing.
  const canDraw = () => options.mode === 'live' && !stopped && paused === 0 && ![...running.values()].some((s) => s.root);

  // Remove the area: back to its first line, clear to the end of the screen (npm's spinner line too; npm redraws it).
  function clear(): string {
    if (drawn === 0) return '';
    const text = `${ESC}1G${ESC}${drawn}A${ESC}0J`;
    drawn = 0;
    return text;
  }

  function draw(extra = ''): void {
    try {
      let text = clear() + extra;
      if (canDraw() && running.size > 0) {
        const lines = formatRunning([...running.values()], now(), size());
        text += `${ESC}1G${ESC}0K${lines.join('\n')}\n`;
        drawn = lines.length;
      }
      if (text) stream.write(text);
      if (drawn > 0 && !timer) {
        timer = setInterval(() => draw(), options.intervalMs ?? 1000);
        timer.unref();
      } else if (drawn === 0 && timer) {
        clearInterval(timer);
        timer = undefined;
      }
    } catch {
      // A display problem must never stop an install.
    }
  }

  return {
    start(script) {
      if (options.mode === 'off' || stopped) return;
      const pkg = `${script.identity.name}@${script.identity.version}`;
      running.set(nextId++, { package: pkg, event: script.event, startedAt: now(), key: `${script.identity.path}\0${script.event}`, root: script.identity.isRoot });
      if (options.mode === 'live') draw();
    },
    end(record) {
      if (options.mode === 'off' || stopped) return;
      const key = `${record.path}\0${record.event}`;
      for (const [id, s] of running) if (s.key === key) { running.delete(id); break; }
      const keep = options.mode === 'lines' || options.verbose;
      const line = keep ? `${formatFinished(record, options.mode === 'live' ? size().columns : Infinity)}\n` : '';
      if (options.mode === 'live') draw(line);
      else if (line) stream.write(line);
    },
    async pause(ask) {
      paused++;
      if (drawn > 0) stream.write(clear());
      try {
        return await ask();
      } finally {
        paused--;
        if (options.mode === 'live') draw();
      }
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      if (drawn > 0) stream.write(clear());
      stopped = true;
    },
  };
}
