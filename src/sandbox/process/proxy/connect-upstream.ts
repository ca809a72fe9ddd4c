// Open a TCP connection to the first reachable address of a checked list, with a connect timeout.
// Only addresses are dialled, never names: what was checked is what is reached (no DNS rebinding in between).
import { connect, type Socket } from 'node:net';

// Try each address in order; resolve with the first connected socket or reject with the last error.
export async function connectUpstream(addresses: readonly string[], port: number, timeoutMs: number): Promise<Socket> {
  let last: unknown = new Error('no address to connect to');
  for (const host of addresses) {
    try {
      return await connectOne(host, port, timeoutMs);
    } catch (err) {
      last = err;
    }
  }
  throw last;
}

function connectOne(host: string, port: number, timeoutMs: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(Object.assign(new Error(`connect to ${host}:${port} timed out`), { code: 'ETIMEDOUT' }));
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      resolve(socket);
    });
    socket.once('error', (err) => {
      clearTimeout(timer);
      socket.destroy();
      reject(err);
    });
  });
}
