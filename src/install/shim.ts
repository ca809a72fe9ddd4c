#!/usr/bin/env node
// npm's script shell during `safe-install`: npm runs `<shim> -c "<script>"` for every lifecycle
// script. The shim asks the controller what to do and runs the confined command it is given.
// It fails closed: without a reachable controller nothing runs.
// Kept to node built-ins so that every script pays as little start-up as possible.
import { spawn } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { StringDecoder } from 'node:string_decoder';
import { CONTROL_SOCKET_ENV, readMessages, sendMessage, type ControllerMessage, type RunMessage } from './protocol.js';
import { escapeForTerminal } from '../text/escape-for-terminal.js';

const TAIL_BYTES = 8 * 1024;

function refuse(message: string, code = 1): never {
  process.stderr.write(`safe-install: ${message}\n`);
  process.exit(code);
}

const socketPath = process.env[CONTROL_SOCKET_ENV];
if (!socketPath) refuse('refusing to run a lifecycle script: no safe-install controller (SAFE_INSTALL_CONTROL is not set). Run installs through `safe-install`, not npm with this script shell.');

// A reader that went away (EPIPE) must not crash the shim before it reports to the controller.
process.stdout.on('error', () => undefined);
process.stderr.on('error', () => undefined);

const socket = connect(socketPath);
socket.on('error', (error) => refuse(`refusing to run a lifecycle script: the safe-install controller is unreachable (${error.message}).`));

let child: ReturnType<typeof spawn> | undefined;
socket.on('close', () => {
  // The controller is gone: nothing may keep running unsupervised.
  if (child && child.exitCode === null) child.kill('SIGKILL');
  if (!finished) refuse('the safe-install controller closed the connection; the script was stopped.');
});

let finished = false;
let isolated: RelayState | undefined;
readMessages<ControllerMessage>(socket, (message) => {
  if (message.type === 'deny') {
    finished = true;
    process.stderr.write(`${message.message}\n`);
    socket.end();
    process.exitCode = message.exitCode;
  } else if (message.type === 'run') runConfined(socket, message);
  else if (message.type === 'kill') child?.kill('SIGKILL');
  else if (message.type === 'output') {
    // A script the controller runs itself (isolate tier): same bounds and escaping as a child's output.
    isolated ??= { limit: message.outputLimit, escape: true, forwarded: 0, dropped: 0, tail: '' };
    relayText(isolated, message.stream === 'stderr' ? process.stderr : process.stdout, String(message.data), Buffer.byteLength(String(message.data)));
  } else if (message.type === 'exit') {
    const state = isolated ?? { tail: '', dropped: 0 };
    if (message.timedOut) process.stderr.write('safe-install: script killed after its time limit\n');
    sendMessage(socket, { type: 'done', exitCode: message.code, signal: null, timedOut: message.timedOut, durationMs: message.durationMs, outputTail: state.tail, outputDropped: state.dropped, spawnError: message.error });
    process.exitCode = message.code;
  }
  else if (message.type === 'ack') {
    finished = true;
    socket.end();
  }
});

sendMessage(socket, { type: 'hello', cwd: process.cwd(), argv: process.argv.slice(2), env: process.env, pid: process.pid });

// Run the command the controller built, bounded in time and output, and report how it ended.
function runConfined(control: Socket, run: RunMessage): void {
  const started = Date.now();
  let timedOut = false;
  child = spawn(run.file, run.args, { cwd: run.cwd, env: run.env, stdio: ['inherit', 'pipe', 'pipe'] });
  // setTimeout takes at most 2^31-1 ms (a larger value would fire at once).
  const timer = setTimeout(() => {
    timedOut = true;
    // Killing the outermost process ends the sandbox's pid namespace, and every process in it.
    child?.kill('SIGKILL');
  }, Math.min(Math.max(0, run.timeoutMs), 2 ** 31 - 1));

  const state: RelayState = { limit: run.outputLimit, escape: run.escapeOutput, forwarded: 0, dropped: 0, tail: '' };
  const relay = (stream: NodeJS.ReadableStream | null, out: NodeJS.WriteStream) => {
    if (!stream) return;
    const decoder = new StringDecoder('utf8');
    stream.on('data', (chunk: Buffer) => relayText(state, out, decoder.write(chunk), chunk.length));
  };
  relay(child.stdout, process.stdout);
  relay(child.stderr, process.stderr);

  let spawnError: string | undefined;
  child.on('error', (error) => {
    spawnError = error.message;
  });
  child.on('close', (code, signal) => {
    clearTimeout(timer);
    // A command that could not start is 127, as in a shell (node reports a negative errno as its code).
    const exitCode = timedOut ? 124 : spawnError ? 127 : code ?? 128;
    if (timedOut) process.stderr.write(`safe-install: script killed after ${Math.round(run.timeoutMs / 1000)} s time limit\n`);
    sendMessage(control, { type: 'done', exitCode, signal: signal ?? null, timedOut, durationMs: Date.now() - started, outputTail: state.tail, outputDropped: state.dropped, spawnError });
    process.exitCode = exitCode;
  });
}

interface RelayState { limit: number; escape: boolean; forwarded: number; dropped: number; tail: string }

// Forward script output, bounded and escaped; keep a tail for the report.
function relayText(state: RelayState, out: NodeJS.WriteStream, text: string, bytes: number): void {
  state.tail = (state.tail + text).slice(-TAIL_BYTES);
  if (state.forwarded >= state.limit) {
    state.dropped += bytes;
    return;
  }
  state.forwarded += bytes;
  // A CR before a newline (or at the end of the chunk) is dropped before escaping: CRLF output reads as lines.
  out.write(state.escape ? escapeForTerminal(text.replace(/\r(?=\n|$)/g, ''), { multiline: true, maxLength: Number.MAX_SAFE_INTEGER }) : text);
  if (state.forwarded >= state.limit) out.write(`\n[safe-install: output limit of ${state.limit} bytes reached; the rest is dropped]\n`);
}
