// Messages between the controller (host) and the isolate worker, over the worker's IPC channel
// (advanced serialization, so file contents travel as bytes).

/** How the script starts: a file (`node file.js args`) or code (`node -e code args`). */
export type IsolateEntry = { kind: 'file'; file: string } | { kind: 'eval'; code: string };

/** Everything the worker needs to start one script; plain data only. */
export interface IsolateRunSpec {
  id: number;
  entry: IsolateEntry;
  /** process.argv as the script sees it. */
  argv: string[];
  /** The scrubbed environment the process tier would give the script. */
  env: Record<string, string>;
  /** Names npm set that the scrub removed (never their values), to attribute attempts to read them. */
  hiddenEnv: string[];
  cwd: string;
  execPath: string;
  /** Heap limit of the isolate, in MiB. */
  memoryMb: number;
  /** Wall-clock limit of the whole script, in ms. */
  timeoutMs: number;
  /** What `os` may tell the script. */
  os: { platform: string; arch: string; release: string; cpus: number; totalmem: number; endianness: string; version: string; versions: Record<string, string>; config?: unknown };
}

/** A brokered call from the isolate, with the script's own stack frame. */
export interface CallMessage { t: 'call'; id: number; call: number; op: string; args: unknown[]; where: string }
export interface OutputMessage { t: 'output'; id: number; stream: 'stdout' | 'stderr'; data: string }
/** The script ended: its exit code, or why it was stopped. */
export interface ExitMessage { t: 'exit'; id: number; code: number; timedOut: boolean; reason?: string }
/** An event the isolate noticed itself (a read of a scrubbed variable). */
export interface NoteMessage { t: 'note'; id: number; kind: 'env.read'; target: string; where: string }
export interface ReadyMessage { t: 'ready'; versions: Record<string, string> }

export type WorkerMessage = CallMessage | OutputMessage | ExitMessage | NoteMessage | ReadyMessage;

export interface RunMessage { t: 'run'; spec: IsolateRunSpec }
export interface ReplyMessage { t: 'reply'; id: number; call: number; ok: boolean; value?: unknown; error?: BrokerError }
export interface CancelMessage { t: 'cancel'; id: number; reason: string }
/** A push for a running script: data from a child process or a stream it opened. */
export interface PushMessage { t: 'push'; id: number; handle: number; event: string; value?: unknown }

export type HostMessage = RunMessage | ReplyMessage | CancelMessage | PushMessage;

/** An error as the isolate rebuilds it: Node's fields, no host stack (`stack` only ever holds the isolate's own frames). */
export interface BrokerError { message: string; name?: string; stack?: string; code?: string; errno?: number; syscall?: string; path?: string; dest?: string; status?: number | null; signal?: string | null; stdout?: Uint8Array; stderr?: Uint8Array }
