// The controller: a private unix socket that every shim connects to. For each script it resolves
// the package's identity, asks the policy what the script may do, hands the shim the confined
// command, and records how the script ended.
import { createServer, type Server, type Socket } from 'node:net';
import { existsSync, mkdirSync, readdirSync, realpathSync } from 'node:fs';
import type { Grant } from '../policy/types.js';
import type { HostFacts } from '../sandbox/process/probe-host.js';
import type { ScriptRecord } from '../report/types.js';
import type { SandboxEvent } from '../events/types.js';
import { readMessages, sendMessage, type DoneMessage, type HelloMessage, type ShimMessage } from './protocol.js';
import { resolveIdentity, type Identity } from './resolve-identity.js';
import { scrubEnv } from './scrub-env.js';
import { sandboxCommand } from './sandbox-command.js';
import { readLockfile } from './read-lockfile.js';
import { escapeForTerminal } from '../text/escape-for-terminal.js';
import type { IsolateTier } from '../sandbox/isolate/create-isolate-tier.js';

/** A script that runs npm inside the sandbox must not phone the registry for update or audit checks. */
const NESTED_NPM_QUIET = { npm_config_update_notifier: 'false', npm_config_audit: 'false', npm_config_fund: 'false' };

/** What the policy says about one script. */
export interface ScriptPlan {
  run: 'allow' | 'deny' | 'ask';
  grant: Grant & { protect?: string[] };
  profile: string;
  reason?: string;
}

/** Per-script hooks the tracing and network rooms attach to. */
export interface ScriptHooks {
  /** Called before the command is built; returns argv prefixes, env additions and a finish callback. */
  prepare?(script: ActiveScript): Promise<{ tracer?: string[]; inner?: string[]; env?: Record<string, string>; proxySocket?: string; finish(): Promise<SandboxEvent[]> }>;
}

export interface ActiveScript {
  id: number;
  identity: Identity;
  event: string;
  command: string;
  pkgDir: string;
  plan: ScriptPlan;
  /** Set when the isolate tier was considered: where it ran, and why not in the isolate. */
  tier?: 'isolate' | 'process';
  tierReason?: string;
}

export interface ControllerOptions {
  socketPath: string;
  projectDir: string;
  /** Private directories of this install (control and proxy sockets), hidden from every sandbox. */
  privateDirs?: string[];
  /** The user's HOME (granted directories under it are created on demand). */
  home?: string;
  rootManifest?: { name?: string; version?: string };
  /** Facts for the process tier; absent means --unsafe-no-sandbox (scripts run unconfined). */
  host?: HostFacts;
  planScript(identity: Identity, event: string, pkgDir: string): ScriptPlan;
  /** Decide an `ask` plan (a prompt, or deny without a terminal). */
  askToRun?(script: ActiveScript): Promise<boolean>;
  hooks?: ScriptHooks;
  /** Cap on the script output forwarded to npm, per stream. @default 1 MiB */
  outputLimit?: number;
  /** Shell that runs script bodies inside the sandbox. @default /bin/sh */
  shell?: string;
  onStart?(script: ActiveScript): void;
  onEnd?(record: ScriptRecord): void;
  /** The isolate tier: `node file.js` / `node -e` scripts it accepts run there instead of in bwrap. */
  isolate?: IsolateTier;
  /** Ask about a write the sandbox refuses, paused inside an isolate script; absent: refuse. */
  askWrite?(script: ActiveScript, path: string): Promise<boolean>;
  /** After a process-tier script ends: paths to add to its write grant for a second run (a person said yes). */
  rerunWith?(script: ActiveScript, events: SandboxEvent[]): Promise<string[] | undefined>;
}

export interface Controller {
  records: ScriptRecord[];
  events: SandboxEvent[];
  /** Granted directories safe-install created in HOME so that bwrap could bind them (and their contents). */
  created: string[];
  /** Scripts still running (their shims are connected). */
  active(): number;
  /** Stop every running script and close the socket. */
  close(): Promise<void>;
}

// Start listening for shims on `options.socketPath`.
export async function startController(options: ControllerOptions): Promise<Controller> {
  const records: ScriptRecord[] = [];
  const events: SandboxEvent[] = [];
  const created: string[] = [];
  const sockets = new Set<Socket>();
  let nextId = 1;

  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    let hello: HelloMessage | undefined;
    let started = 0;
    let active: ActiveScript | undefined;
    let finish: (() => Promise<SandboxEvent[]>) | undefined;
    let cancel: ((reason: string) => void) | undefined;
    readMessages<ShimMessage>(socket, (message) => {
      if (message.type === 'hello' && !hello) {
        hello = message;
        started = Date.now();
        handleHello(socket, message, nextId++)
          .then((state) => {
            active = state?.active;
            finish = state?.finish;
            cancel = state?.cancel;
          })
          .catch((error: unknown) => {
            sendMessage(socket, { type: 'deny', message: `safe-install: refusing to run the script: ${escapeForTerminal(String((error as Error)?.message ?? error))}`, exitCode: 1 });
          });
      } else if (message.type === 'done' && active) {
        const script = active;
        active = undefined;
        void (async () => {
          const scriptEvents = finish ? await finish().catch(() => []) : [];
          events.push(...scriptEvents);
          const record = recordFor(script, message, scriptEvents);
          records.push(record);
          options.onEnd?.(record);
          // Refused writes in the process tier: run the same command again with them granted, before the ack.
          const more = script.tier !== 'isolate' && options.rerunWith && hello ? await options.rerunWith(script, scriptEvents).catch(() => undefined) : undefined;
          if (more && hello) {
            record.reason = `run again with write access to ${more.join(', ')}`;
            const again: ActiveScript = { ...script, id: nextId++, plan: { ...script.plan, grant: { ...script.plan.grant, write: [...script.plan.grant.write, ...more] } } };
            const state = await startScript(socket, again, hello, false).catch(() => undefined);
            if (state) ({ active, finish, cancel } = state);
            if (state) return;
          }
          sendMessage(socket, { type: 'ack' });
        })();
      }
    });
    socket.on('close', () => {
      // A shim that vanished mid-script (npm killed): its sandbox dies with it (--die-with-parent).
      if (active) {
        cancel?.('shim disconnected');
        const record = recordFor(active, { type: 'done', exitCode: null, signal: 'SIGKILL', timedOut: false, durationMs: Date.now() - started, outputTail: '', outputDropped: 0, spawnError: 'shim disconnected' }, []);
        records.push(record);
        void finish?.().then((e) => events.push(...e)).catch(() => undefined);
        active = undefined;
      }
    });
  });

  async function handleHello(socket: Socket, hello: HelloMessage, id: number): Promise<{ active: ActiveScript; finish?: () => Promise<SandboxEvent[]>; cancel?: (reason: string) => void } | undefined> {
    if (hello.argv.length !== 2 || hello.argv[0] !== '-c') {
      sendMessage(socket, { type: 'deny', message: `safe-install: refusing an unexpected script-shell call (${escapeForTerminal(hello.argv.join(' '), { maxLength: 200 })})`, exitCode: 1 });
      return undefined;
    }
    const command = hello.argv[1];
    const pkgDir = realOrSelf(hello.cwd);
    const identity = resolveIdentity({ projectDir: options.projectDir, cwd: pkgDir, lockfile: readLockfile(options.projectDir), rootManifest: options.rootManifest, env: hello.env });
    const event = hello.env.npm_lifecycle_event ?? 'unknown';
    const plan = options.planScript(identity, event, pkgDir);
    const script: ActiveScript = { id, identity, event, command, pkgDir, plan };

    let allowed = plan.run === 'allow';
    if (plan.run === 'ask') allowed = (await options.askToRun?.(script)) ?? false;
    if (!allowed) {
      const who = escapeForTerminal(`${identity.name}@${identity.version}`, { maxLength: 200 });
      records.push(recordFor(script, undefined, [], plan.reason ?? (plan.run === 'ask' ? 'not approved at the prompt (or no terminal to ask)' : 'denied by policy')));
      // Skipped, not failed: npm carries on as with --ignore-scripts for this package.
      sendMessage(socket, { type: 'deny', message: `safe-install: skipped ${event} of ${who}: ${escapeForTerminal(plan.reason ?? 'not allowed by the policy')}`, exitCode: 0 });
      return undefined;
    }

    return startScript(socket, script, hello, true);
  }

  // Run an allowed script: in the isolate tier when it takes it (first run only), else confined by bwrap.
  async function startScript(socket: Socket, script: ActiveScript, hello: HelloMessage, offerIsolate: boolean): Promise<{ active: ActiveScript; finish?: () => Promise<SandboxEvent[]>; cancel?: (reason: string) => void } | undefined> {
    const { identity, command, pkgDir, plan } = script;
    options.onStart?.(script);
    // A granted cache directory (~/.cache/ms-playwright) may not exist yet: bwrap can only bind what exists.
    if (options.host) {
      for (const dir of plan.grant.write) {
        if (!options.home || !dir.startsWith(`${options.home}/`) || existsSync(dir)) continue;
        // Remember the first directory created: the tamper witness must not blame a script for it.
        const first = mkdirSync(dir, { recursive: true });
        if (first) created.push(first, `${first}/**`);
      }
    }
    const shell = options.shell ?? '/bin/sh';
    if (options.isolate && options.host && offerIsolate) {
      // The isolate gets the same scrubbed environment, without the in-sandbox proxy settings (its HTTP is brokered).
      const isolateEnv = scrubEnv(hello.env, { passThrough: plan.grant.env, set: { HOME: hello.env.HOME ?? '/tmp', TMPDIR: '/tmp' } });
      const routed = await routeToIsolate(socket, script, hello, isolateEnv, shell);
      if (routed) return routed;
    }
    const prepared = options.host ? await options.hooks?.prepare?.(script) : undefined;
    const env = scrubEnv(hello.env, { passThrough: plan.grant.env, set: { HOME: hello.env.HOME ?? '/tmp', TMPDIR: '/tmp', ...NESTED_NPM_QUIET, ...(prepared?.env ?? {}) } });
    let file: string;
    let args: string[];
    if (options.host) {
      ({ file, args } = sandboxCommand({
        script: command, shell, pkgDir, projectDir: options.projectDir, isRoot: identity.isRoot, grant: plan.grant, host: { ...options.host, secretDirs: [...options.host.secretDirs, ...(options.privateDirs ?? []).filter((dir) => !dir.startsWith('/tmp/'))] }, env,
        tracer: prepared?.tracer, inner: prepared?.inner, proxySocket: prepared?.proxySocket, exists: existsSync, projectEntries: listNames(options.projectDir),
      }));
    } else {
      file = shell;
      args = ['-c', command];
    }
    sendMessage(socket, { type: 'run', file, args, env, cwd: pkgDir, timeoutMs: plan.grant.timeoutMs, outputLimit: options.outputLimit ?? 1024 * 1024, escapeOutput: true });
    return { active: script, finish: prepared?.finish };
  }

  // Offer a script to the isolate tier; it decides up front (form, scan of requires, worker) and,
  // once it takes a script, runs it to the end: a script never runs twice.
  async function routeToIsolate(socket: Socket, script: ActiveScript, hello: HelloMessage, env: Record<string, string>, shell: string) {
    const { identity, plan } = script;
    const outputLimit = options.outputLimit ?? 1024 * 1024;
    const decision = await options.isolate!.route({
      id: script.id,
      who: { package: `${identity.name}@${identity.version}`, path: identity.path, script: script.event },
      command: script.command, env, npmEnv: hello.env, timeoutMs: plan.grant.timeoutMs,
      base: { shell, pkgDir: script.pkgDir, projectDir: options.projectDir, isRoot: identity.isRoot, grant: plan.grant, host: options.host!, env, exists: existsSync, projectEntries: listNames(options.projectDir) },
      prepare: () => options.hooks?.prepare?.({ ...script, id: nextId++ }) ?? Promise.resolve(undefined),
      output: (stream, data) => sendMessage(socket, { type: 'output', stream, data, outputLimit }),
      askWrite: options.askWrite ? (path) => options.askWrite!(script, path) : undefined,
    });
    script.tier = decision.tier;
    if (decision.tier === 'process') {
      script.tierReason = decision.reason;
      return undefined;
    }
    void decision.done.then((exit) => sendMessage(socket, { type: 'exit', code: exit.code, timedOut: exit.timedOut, durationMs: exit.durationMs, error: exit.reason && !exit.timedOut && exit.code !== 0 ? exit.reason : undefined }));
    return { active: script, finish: decision.finish, cancel: decision.cancel };
  }

  function recordFor(script: ActiveScript, done: DoneMessage | undefined, scriptEvents: SandboxEvent[], denyReason?: string): ScriptRecord {
    const { identity } = script;
    const outcome: ScriptRecord['outcome'] = denyReason !== undefined ? 'denied'
      : done?.spawnError ? 'error'
      : done?.timedOut ? 'timeout'
      : done?.exitCode === 0 ? 'ok'
      : done?.exitCode === null ? 'killed' : 'failed';
    void scriptEvents;
    return {
      package: `${identity.name}@${identity.version}`,
      name: identity.name,
      version: identity.version,
      identitySource: identity.source,
      path: identity.path,
      resolved: identity.resolved,
      integrity: identity.integrity,
      event: script.event,
      command: script.command,
      outcome,
      exitCode: done?.exitCode ?? null,
      signal: done?.signal ?? null,
      durationMs: done?.durationMs ?? 0,
      tier: denyReason !== undefined ? 'none' : script.tier ?? (options.host ? 'process' : 'none'),
      tierReason: denyReason === undefined ? script.tierReason : undefined,
      reason: denyReason ?? done?.spawnError ?? (done?.timedOut ? `killed after the ${Math.round(script.plan.grant.timeoutMs / 1000)} s time limit` : undefined),
      profile: script.plan.profile,
      outputTail: done && done.exitCode !== 0 ? done.outputTail : undefined,
      outputDropped: done?.outputDropped || undefined,
    };
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.socketPath, () => resolve());
  });

  return {
    records,
    events,
    created,
    active: () => sockets.size,
    close: async () => {
      for (const socket of sockets) {
        sendMessage(socket, { type: 'kill', reason: 'install ended' });
        socket.destroy();
      }
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function realOrSelf(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

function listNames(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
