// Messages between the shim (npm's script shell) and the controller, one JSON object per line
// over a private unix socket.
import type { Socket } from 'node:net';

/** Environment variable carrying the controller's socket path to the shim. */
export const CONTROL_SOCKET_ENV = 'SAFE_INSTALL_CONTROL';

/** shim → controller: npm wants to run a script. */
export interface HelloMessage { type: 'hello'; cwd: string; argv: string[]; env: Record<string, string | undefined>; pid: number }
/** controller → shim: run this confined command. */
export interface RunMessage { type: 'run'; file: string; args: string[]; env: Record<string, string>; cwd: string; timeoutMs: number; outputLimit: number; escapeOutput: boolean }
/** controller → shim: do not run it. */
export interface DenyMessage { type: 'deny'; message: string; exitCode: number }
/** shim → controller: how the script ended. */
export interface DoneMessage { type: 'done'; exitCode: number | null; signal: string | null; timedOut: boolean; durationMs: number; outputTail: string; outputDropped: number; spawnError?: string }
/** controller → shim: the record is stored; the shim may exit. */
export interface AckMessage { type: 'ack' }
/** controller → shim: stop the script now (install aborted). */
export interface KillMessage { type: 'kill'; reason: string }
/** controller → shim: output of a script the controller runs itself (isolate tier); the shim bounds and escapes it. */
export interface OutputMessage { type: 'output'; stream: 'stdout' | 'stderr'; data: string; outputLimit: number }
/** controller → shim: that script ended; the shim answers with `done` and exits with `code`. */
export interface ExitMessage { type: 'exit'; code: number; timedOut: boolean; durationMs: number; error?: string }

export type ShimMessage = HelloMessage | DoneMessage;
export type ControllerMessage = RunMessage | DenyMessage | AckMessage | KillMessage | OutputMessage | ExitMessage;

/** Longest line accepted from the other side; a flood closes the connection. */
const MAX_LINE = 16 * 1024 * 1024;

// Call `onMessage` for each JSON line arriving on `socket`; a malformed or oversized line closes it.
export function readMessages<T>(socket: Socket, onMessage: (message: T) => void): void {
  let buffer = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    buffer += chunk;
    if (buffer.length > MAX_LINE) {
      socket.destroy(new Error('control message too long'));
      return;
    }
    let newline: number;
    while ((newline = buffer.indexOf('\n')) !== -1) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      if (!line) continue;
      let message: T;
      try {
        message = JSON.parse(line) as T;
      } catch {
        socket.destroy(new Error('malformed control message'));
        return;
      }
      onMessage(message);
    }
  });
}

// Send one message as a JSON line.
export function sendMessage(socket: Socket, message: ShimMessage | ControllerMessage): void {
  socket.write(`${JSON.stringify(message)}\n`);
}
