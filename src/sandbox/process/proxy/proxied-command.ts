// Build the argv that runs a script behind the forwarder, and the environment that points clients at it.
// Pure: the integrator appends the result after `bwrap <args> --`.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Where the proxy socket is bind-mounted inside the sandbox (read-only). */
export const SANDBOX_PROXY_SOCKET = '/run/safe-install/proxy.sock';

/** The loopback port the forwarder listens on inside the sandbox (each sandbox has its own network namespace). */
export const DEFAULT_PROXY_PORT = 3128;

/** The node forwarder script, as compiled next to this file. */
export const NODE_FORWARDER_SCRIPT = fileURLToPath(new URL('./forwarder.js', import.meta.url));

/** Which program relays 127.0.0.1:<port> to the proxy socket inside the sandbox. */
export type Forwarder =
  | { kind: 'socat'; socatPath: string }
  | { kind: 'node'; nodePath: string; scriptPath?: string };

export interface ForwarderOptions {
  /** Path of the proxy socket inside the sandbox. @default SANDBOX_PROXY_SOCKET */
  socketPathInSandbox?: string;
  /** Loopback port inside the sandbox. @default DEFAULT_PROXY_PORT */
  port?: number;
  /** The relay program. @default socat at /usr/bin/socat, or node at nodePath when only that is given */
  forwarder?: Forwarder;
  /** Shorthand for `forwarder: { kind: 'node', nodePath }`. */
  nodePath?: string;
}

// The socat wrapper, run as `sh -c SNIPPET safe-install-forwarder SOCAT SOCK PORT HEXPORT cmd args...`.
// It starts socat in the background, waits until /proc/net/tcp shows 127.0.0.1:PORT in LISTEN (state 0A) using
// shell builtins only (no fork per poll), then execs the command, so the script is the sandbox's main process
// and socat ends with the sandbox's PID namespace. socat gone or not ready after ~2 s: exit 125, script not run.
export const SOCAT_SNIPPET = [
  's=$1 k=$2 p=$3 h=$4; shift 4',
  '"$s" -lf /dev/null TCP-LISTEN:$p,bind=127.0.0.1,fork,reuseaddr UNIX-CONNECT:$k </dev/null &',
  'f=$! i=0 r=',
  'while [ -z "$r" ]; do',
  ' while read -r _ l _ t _; do [ "$l" = "0100007F:$h" ] && [ "$t" = 0A ] && r=1 && break; done </proc/net/tcp',
  ' [ -n "$r" ] && break',
  ' kill -0 $f 2>/dev/null || { echo "safe-install: network forwarder ($s) did not start" >&2; exit 125; }',
  ' i=$((i+1)); [ $i -gt 400 ] && { kill $f; echo "safe-install: network forwarder not ready" >&2; exit 125; }',
  ' [ $i -gt 20 ] && sleep 0.005',
  'done',
  'exec "$@"',
].join('\n');

function checkOptions(opts: ForwarderOptions): { socket: string; port: number; forwarder: Forwarder } {
  const socket = opts.socketPathInSandbox ?? SANDBOX_PROXY_SOCKET;
  const port = opts.port ?? DEFAULT_PROXY_PORT;
  // socat reads `,` and `:` inside an address as option syntax; refuse rather than quote.
  if (!/^\/[A-Za-z0-9_./-]+$/.test(socket)) throw new Error(`socketPathInSandbox must be an absolute path of [A-Za-z0-9_./-], got ${JSON.stringify(socket)}`);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`port must be 1-65535, got ${port}`);
  const forwarder = opts.forwarder ?? (opts.nodePath ? { kind: 'node', nodePath: opts.nodePath } : { kind: 'socat', socatPath: '/usr/bin/socat' });
  return { socket, port, forwarder };
}

// Give the argv prefix that starts the forwarder; append the command to run once it listens.
export function forwarderCommand(opts: ForwarderOptions): string[] {
  const { socket, port, forwarder } = checkOptions(opts);
  if (forwarder.kind === 'node') {
    return [forwarder.nodePath, forwarder.scriptPath ?? NODE_FORWARDER_SCRIPT, '--socket', socket, '--port', String(port), '--'];
  }
  const hex = port.toString(16).toUpperCase().padStart(4, '0');
  return ['/bin/sh', '-c', SOCAT_SNIPPET, 'safe-install-forwarder', forwarder.socatPath, socket, String(port), hex];
}

// Give the full argv that runs `command` with the proxy reachable at 127.0.0.1:<port>.
export function proxiedCommand(opts: ForwarderOptions & { command: string[] }): string[] {
  if (opts.command.length === 0) throw new Error('command must not be empty');
  return [...forwarderCommand(opts), ...opts.command];
}

// Give the environment that points HTTP clients, npm and Node >= 24 at the forwarder.
export function proxyEnv(port: number = DEFAULT_PROXY_PORT): Record<string, string> {
  const url = `http://127.0.0.1:${port}`;
  return {
    http_proxy: url,
    HTTP_PROXY: url,
    https_proxy: url,
    HTTPS_PROXY: url,
    npm_config_proxy: url,
    npm_config_https_proxy: url,
    NODE_USE_ENV_PROXY: '1',
    no_proxy: '',
    NO_PROXY: '',
  };
}

// Pick the relay to use on this host: socat when installed (fast start), else node running forwarder.js.
export function findForwarder(nodePath: string = process.execPath): Forwarder {
  for (const socatPath of ['/usr/bin/socat', '/bin/socat', '/usr/local/bin/socat']) {
    if (existsSync(socatPath)) return { kind: 'socat', socatPath };
  }
  return { kind: 'node', nodePath };
}
