// A private working directory for one install: the control socket, the shim wrapper, proxy sockets
// and trace files. Mode 0700, removed when the install ends.
import { existsSync, mkdtempSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface WorkDir {
  dir: string;
  controlSocket: string;
  /** Executable that npm runs as its script shell. */
  shim: string;
  remove(): void;
}

// Create the work directory and the script shell: the native shim when one was built (native-shim.ts),
// else a wrapper that starts shim.ts with this very node.
export function makeWorkDir(options: { nativeShim?: string } = {}): WorkDir {
  // IMPORTANT: under /tmp, which every sandbox replaces with its own tmpfs: the control socket and the
  // other scripts' proxy sockets must never be reachable from inside (a unix socket on a read-only
  // mount still accepts connections). The controller also hides this directory explicitly.
  const dir = mkdtempSync(join(existsSync('/tmp') ? '/tmp' : tmpdir(), 'safe-install-'));
  chmodSync(dir, 0o700);
  const shimJs = fileURLToPath(new URL('./shim.js', import.meta.url));
  const shim = join(dir, 'script-shell');
  // An absolute node path: PATH may hold node_modules/.bin, where a package could shadow `node`.
  const command = options.nativeShim ? shellQuote(options.nativeShim) : `${shellQuote(process.execPath)} ${shellQuote(shimJs)}`;
  writeFileSync(shim, `#!/bin/sh\nexec ${command} "$@"\n`, { mode: 0o700 });
  return {
    dir,
    controlSocket: join(dir, 'control.sock'),
    shim,
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

// Quote a string for /bin/sh.
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
