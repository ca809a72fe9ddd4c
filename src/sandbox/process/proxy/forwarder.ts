// The in-sandbox forwarder, node edition: listen on 127.0.0.1:<port>, relay each TCP connection to the
// proxy's unix socket, and only once listening run the command; exit with its status and pass signals on.
// Usage: node forwarder.js --socket <path> --port <n> -- <command> [args...]
// Kept free of imports beyond node built-ins: every sandboxed script pays its startup.
import { connect, createServer } from 'node:net';
import { spawn, type ChildProcess } from 'node:child_process';

const FORWARDED_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2'];

function fail(message: string, code: number): never {
  process.stderr.write(`safe-install forwarder: ${message}\n`);
  process.exit(code);
}

function parseArgs(argv: string[]): { socket: string; port: number; command: string[] } {
  const dash = argv.indexOf('--');
  const flags = dash < 0 ? argv : argv.slice(0, dash);
  const command = dash < 0 ? [] : argv.slice(dash + 1);
  const value = (name: string) => { const i = flags.indexOf(name); return i < 0 ? undefined : flags[i + 1]; };
  const socket = value('--socket');
  const port = Number(value('--port'));
  if (!socket || !Number.isInteger(port) || port < 1 || port > 65535 || command.length === 0) {
    fail('usage: forwarder --socket <path> --port <n> -- <command> [args...]', 125);
  }
  return { socket, port, command };
}

function runCommand(command: string[]): void {
  let child: ChildProcess;
  try {
    child = spawn(command[0], command.slice(1), { stdio: 'inherit' });
  } catch (err) {
    fail(`cannot start ${command[0]}: ${(err as Error).message}`, 127);
  }
  for (const sig of FORWARDED_SIGNALS) process.on(sig, () => child.kill(sig));
  child.on('error', (err) => fail(`cannot start ${command[0]}: ${err.message}`, 127));
  child.on('exit', (code, signal) => {
    if (signal) {
      // Die of the same signal so the caller sees what the command saw.
      for (const sig of FORWARDED_SIGNALS) process.removeAllListeners(sig);
      process.kill(process.pid, signal);
    }
    process.exit(code ?? 128);
  });
}

const { socket, port, command } = parseArgs(process.argv.slice(2));
const server = createServer((client) => {
  const upstream = connect(socket);
  client.on('error', () => upstream.destroy());
  upstream.on('error', () => client.destroy());
  client.on('close', () => upstream.destroy());
  upstream.on('close', () => client.destroy());
  client.pipe(upstream);
  upstream.pipe(client);
});
server.on('error', (err) => fail(`cannot listen on 127.0.0.1:${port}: ${err.message}`, 125));
// IMPORTANT: the command starts only after listen succeeded, so its first request never races the listener.
server.listen(port, '127.0.0.1', () => runCommand(command));
