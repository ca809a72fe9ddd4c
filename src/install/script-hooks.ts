// Per-script tracing and network: an strace prefix around bwrap, a proxy on a private unix socket
// with the in-sandbox forwarder, and, when the script ends, its events.
import { copyFileSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { SandboxEvent } from '../events/types.js';
import type { ActiveScript, ScriptHooks } from './controller.js';
import { listWatchTargets, isWatchedPath } from '../watch/index.js';
import { straceArgv, createStraceParser, syscallsToEvents, isNoise, type TraceContext } from '../sandbox/process/strace/index.js';
import { startProxy, forwarderCommand, proxyEnv, findForwarder, DEFAULT_PROXY_PORT, SANDBOX_PROXY_SOCKET } from '../sandbox/process/proxy/index.js';

export interface HookOptions {
  workDir: string;
  projectDir: string;
  home: string;
  strace?: string;
  trace: 'narrow' | 'full' | 'off';
  shell: string;
  /** Ask about a destination no grant covers (the prompter), or deny when absent. */
  askNet?: (script: ActiveScript, host: string, port: number) => Promise<boolean>;
}

// Build the hooks that trace and proxy every script.
export function createScriptHooks(options: HookOptions): ScriptHooks {
  const forwarder = findForwarder();
  return {
    async prepare(script) {
      const dir = join(options.workDir, `script-${script.id}`);
      mkdirSync(dir, { mode: 0o700 });
      const events: SandboxEvent[] = [];
      const who = { package: `${script.identity.name}@${script.identity.version}`, path: script.identity.path, script: script.event };
      const proxy = await startProxy({
        socketPath: join(dir, 'proxy.sock'),
        allowNet: script.plan.grant.net,
        identity: who,
        onEvent: (event) => events.push(event),
        ask: options.askNet ? (host, port) => options.askNet!(script, host, port) : undefined,
      });
      const traceFile = join(dir, 'trace.txt');
      const tracing = options.trace !== 'off' && options.strace !== undefined;
      return {
        tracer: tracing ? [options.strace!, ...straceArgv({ mode: options.trace as 'narrow' | 'full', outputFile: traceFile })] : undefined,
        inner: forwarderCommand({ forwarder, port: DEFAULT_PROXY_PORT, socketPathInSandbox: SANDBOX_PROXY_SOCKET }),
        env: proxyEnv(DEFAULT_PROXY_PORT),
        proxySocket: proxy.socketPath,
        async finish() {
          await proxy.close();
          if (tracing) {
            const traced = readTrace(traceFile, { ...who, pkgDir: script.pkgDir, home: options.home, projectDir: options.projectDir, startExec: options.shell, proxyPort: DEFAULT_PROXY_PORT, writable: script.plan.grant.write, readable: script.plan.grant.read });
            events.push(...traced.filter((event) => !isPlumbing(event, `${options.shell} -c ${script.command}`)));
          }
          // SAFE_INSTALL_KEEP_TRACES=DIR keeps the raw strace output of every script, for debugging the tracer.
          const keep = process.env.SAFE_INSTALL_KEEP_TRACES;
          if (keep && tracing) copyFileSync(traceFile, join(keep, `${script.id}-${script.identity.name.replace('/', '+')}-${script.event}.strace`));
          rmSync(dir, { recursive: true, force: true });
          return events;
        },
      };
    },
  };
}

// Parse one script's trace file into the events worth reporting.
function readTrace(file: string, ctx: TraceContext): SandboxEvent[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  const parser = createStraceParser();
  const calls = [...parser.push(text), ...parser.end()];
  // A root script's writes into the project are routine, except where the tamper witness looks: those stay,
  // so that the witness can tell a granted write (husky's .husky/, a generated file) from tampering.
  const witnessed = listWatchTargets({ projectDir: ctx.projectDir, home: ctx.home });
  return syscallsToEvents(calls, ctx).filter((event) => !isNoise(event, ctx) || isWatchedPath(witnessed, event.target));
}

// The sandbox's own processes: the forwarder wrapper, socat, and the script shell itself.
function isPlumbing(event: SandboxEvent, scriptShellLine: string): boolean {
  // The forwarder's own connection to the proxy socket: the proxy reports the real destination.
  if (event.kind === 'net.connect') return event.target === SANDBOX_PROXY_SOCKET;
  if (event.kind !== 'proc.exec') return false;
  const detail = event.detail ?? '';
  return detail.includes(`UNIX-CONNECT:${SANDBOX_PROXY_SOCKET}`) || detail.includes('UNIX-CONNECT:$k') || detail === scriptShellLine;
}
