// A loopback TCP server that records every connection and the bytes sent: anything arriving is a leak.
import { createServer, type Server } from 'node:net';

export interface CanaryServer { port: number; hits: string[]; close(): Promise<void> }

// Listen on 127.0.0.1 on a free port.
export async function startCanaryServer(): Promise<CanaryServer> {
  const hits: string[] = [];
  const server: Server = createServer((socket) => {
    let data = '';
    hits.push('');
    const index = hits.length - 1;
    socket.on('data', (d) => {
      data += d;
      hits[index] = data;
      socket.end('HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok');
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as { port: number }).port;
  return { port, hits, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
