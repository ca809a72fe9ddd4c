// Read single keys from a terminal in raw mode, discarding anything typed before the question showed.
import type { ReadStream } from 'node:tty';

/** How long input must stay quiet before a flush is done, and the longest a flush may take (ms). */
export const FLUSH_QUIET_MS = 30;
export const FLUSH_MAX_MS = 300;

export interface KeyReader {
  /** Discard buffered input: type-ahead must not answer a question the person has not seen. */
  flush(): Promise<void>;
  /** The next chunk of input, or undefined when the input ended. */
  next(): Promise<string | undefined>;
  /** Detach from the input and put the terminal back as it was. */
  restore(): void;
}

// Put the terminal in raw mode and start reading; restore() undoes both, whatever happened.
// Node has no tcflush(), so a flush reads and drops whatever arrives until the input is quiet.
export function openKeyReader(input: ReadStream): KeyReader {
  const wasRaw = input.isRaw;
  const wasFlowing = input.readableFlowing === true;
  let pending: string[] = [];
  let ended = false;
  let wake: (() => void) | undefined;
  let onData: (() => void) | undefined;

  const data = (chunk: Buffer | string) => {
    pending.push(typeof chunk === 'string' ? chunk : chunk.toString('utf8'));
    onData?.();
    wake?.();
  };
  const end = () => {
    ended = true;
    wake?.();
  };
  input.setRawMode(true);
  input.on('data', data);
  input.on('end', end);
  input.on('close', end);
  input.resume();

  return {
    async flush() {
      await new Promise<void>((done) => {
        let quiet: NodeJS.Timeout;
        const finish = () => {
          clearTimeout(quiet);
          clearTimeout(limit);
          onData = undefined;
          pending = [];
          done();
        };
        const limit = setTimeout(finish, FLUSH_MAX_MS);
        onData = () => {
          clearTimeout(quiet);
          quiet = setTimeout(finish, FLUSH_QUIET_MS);
        };
        onData();
      });
    },
    async next() {
      while (pending.length === 0 && !ended) await new Promise<void>((r) => (wake = r));
      wake = undefined;
      return pending.shift();
    },
    restore() {
      input.off('data', data);
      input.off('end', end);
      input.off('close', end);
      // IMPORTANT: restore the mode before anything else can print or exit; a raw terminal left
      // behind has no echo and no line editing.
      try {
        input.setRawMode(wasRaw);
      } catch {
        // The terminal is gone (EIO); nothing left to restore.
      }
      if (!wasFlowing) input.pause();
    },
  };
}
