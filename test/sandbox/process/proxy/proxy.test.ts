import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { connect } from 'node:net';
import { statSync } from 'node:fs';
import { IDENTITY, body, openTunnel, rawExchange, readAll, sleep, startOrigin, startTestProxy } from './helpers.js';

type Origin = Awaited<ReturnType<typeof startOrigin>>;
let origin: Origin;

// ---

const granted = suite('startProxy: granted destinations');
granted.before(async () => { origin = await startOrigin(); });
granted.after(() => origin.close());

granted('should forward an absolute-form GET to a loopback host:port granted explicitly', async () => {
  const { proxy, events, close } = await startTestProxy({ allowNet: [`127.0.0.1:${origin.port}`] });
  const { text } = await rawExchange(proxy.socketPath,
    `GET http://127.0.0.1:${origin.port}/file?x=1 HTTP/1.1\r\nHost: ignored.example\r\nProxy-Authorization: Basic c2VjcmV0\r\nConnection: close\r\n\r\n`);
  await close();
  assert.match(text, /^HTTP\/1\.1 200 OK\r\n/);
  assert.is(body(text), 'file-body /file?x=1\n');
  assert.match(text, new RegExp(`x-seen-host: 127\\.0\\.0\\.1:${origin.port}\\r\\n`, 'i'), 'Host comes from the URL, not the client header');
  assert.match(text, /x-seen-proxy-auth: \r\n/i, 'proxy credentials are not forwarded');
  assert.equal(events, [{
    ...IDENTITY, kind: 'net.connect', target: `127.0.0.1:${origin.port}`, decision: 'allowed', tier: 'process', source: 'proxy',
    detail: `GET 200 via "127.0.0.1:${origin.port}" to 127.0.0.1`, at: events[0].at,
  }]);
  assert.is(proxy.stats.allowed, 1);
});

granted('should tunnel CONNECT to a granted host:port', async () => {
  const { proxy, events, close } = await startTestProxy({ allowNet: [`127.0.0.1:${origin.port}`] });
  const tunnel = await openTunnel(proxy.socketPath, `127.0.0.1:${origin.port}`);
  assert.is(tunnel.status, 'HTTP/1.1 200 Connection established');
  const reply = readAll(tunnel.socket);
  tunnel.socket.write(`GET /through-tunnel HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
  assert.is(body(await reply), 'file-body /through-tunnel\n');
  assert.is(events[0].decision, 'allowed');
  assert.is(events[0].detail, `CONNECT 200 via "127.0.0.1:${origin.port}" to 127.0.0.1`);
  await close();
});

granted('should let an explicit name grant reach the loopback address it resolves to, resolving once', async () => {
  const lookups: string[] = [];
  const { proxy, events, close } = await startTestProxy({
    allowNet: [`downloads.example.test:${origin.port}`],
    resolve: async (host) => { lookups.push(host); return ['127.0.0.1']; },
  });
  const { text } = await rawExchange(proxy.socketPath, `GET http://downloads.example.test:${origin.port}/bin HTTP/1.1\r\nConnection: close\r\n\r\n`);
  await close();
  assert.is(body(text), 'file-body /bin\n');
  assert.equal(lookups, ['downloads.example.test']);
  assert.is(events[0].target, `downloads.example.test:${origin.port}`);
});

granted('should listen on a socket only its owner can use', async () => {
  const { proxy, close } = await startTestProxy();
  assert.is(statSync(proxy.socketPath).mode & 0o777, 0o600);
  await close();
});

granted('should end open tunnels on close', async () => {
  const { proxy, close } = await startTestProxy({ allowNet: [`127.0.0.1:${origin.port}`] });
  const tunnel = await openTunnel(proxy.socketPath, `127.0.0.1:${origin.port}`);
  assert.is(proxy.stats.openTunnels, 1);
  const ended = readAll(tunnel.socket);
  await close();
  await ended;
  assert.ok(tunnel.socket.destroyed || tunnel.socket.readableEnded);
});

granted.run();

// ---

const refused = suite('startProxy: refused destinations');
refused.before(async () => { origin = await startOrigin(); });
refused.after(() => origin.close());

refused('should answer 403 naming the package and the grant to add, and emit a denied event', async () => {
  const { proxy, events, close } = await startTestProxy({ allowNet: [] });
  const { text } = await rawExchange(proxy.socketPath, `GET http://127.0.0.1:${origin.port}/file HTTP/1.1\r\n\r\n`);
  await close();
  assert.match(text, /^HTTP\/1\.1 403 Forbidden\r\n/);
  assert.is(body(text),
    `safe-install: blocked prebuilt-thing@1.2.3 (postinstall) from connecting to 127.0.0.1:${origin.port}: 127.0.0.1 is a loopback address, ` +
    `reached only when a grant names it exactly. To allow it, add "127.0.0.1:${origin.port}" to packages["prebuilt-thing"].allow.net in safe-install.policy.json\n`);
  assert.equal(events.map((e) => [e.kind, e.target, e.decision, e.source, e.tier, e.detail]),
    [['net.connect', `127.0.0.1:${origin.port}`, 'denied', 'proxy', 'process', 'GET 403 restricted']]);
});

refused('should refuse an ungranted name without resolving it (no DNS leak)', async () => {
  const lookups: string[] = [];
  const { proxy, events, close } = await startTestProxy({ resolve: async (h) => { lookups.push(h); return ['8.8.8.8']; } });
  const tunnel = await openTunnel(proxy.socketPath, 'c2VjcmV0.exfil.example.test:443');
  const rest = await readAll(tunnel.socket);
  await close();
  assert.is(tunnel.status, 'HTTP/1.1 403 Forbidden');
  assert.match(tunnel.head + rest, /add "c2vjcmv0\.exfil\.example\.test:443" to packages\["prebuilt-thing"\]\.allow\.net/);
  assert.equal(lookups, []);
  assert.is(events[0].decision, 'denied');
  assert.is(events[0].detail, 'CONNECT 403 not-granted');
});

refused('should refuse loopback when the grant names only another host', async () => {
  const { proxy, events, close } = await startTestProxy({ allowNet: [`registry.example.test:${origin.port}`] });
  const tunnel = await openTunnel(proxy.socketPath, `127.0.0.1:${origin.port}`);
  await close();
  assert.is(tunnel.status, 'HTTP/1.1 403 Forbidden');
  assert.is(events[0].decision, 'denied');
});

refused('should refuse a wildcard-granted name that resolves to loopback or metadata', async () => {
  const answers: Record<string, string[]> = { 'a.example.test': ['127.0.0.1'], 'b.example.test': ['93.184.216.34', '169.254.169.254'] };
  const { proxy, events, close } = await startTestProxy({
    allowNet: [`*.example.test:${origin.port}`],
    resolve: async (h) => answers[h] ?? [],
  });
  const a = await rawExchange(proxy.socketPath, `GET http://a.example.test:${origin.port}/ HTTP/1.1\r\n\r\n`);
  const b = await rawExchange(proxy.socketPath, `CONNECT b.example.test:${origin.port} HTTP/1.1\r\n\r\n`);
  await close();
  assert.match(body(a.text), /it resolves to 127\.0\.0\.1, a loopback address/);
  assert.match(body(b.text), /it resolves to 169\.254\.169\.254, a metadata address/);
  assert.equal(events.map((e) => e.decision), ['denied', 'denied']);
});

refused('should refuse the metadata address and IPv6 loopback spelled any way', async () => {
  const { proxy, events, close } = await startTestProxy({ allowNet: [] });
  for (const target of ['169.254.169.254:80', '[::1]:80', '[::ffff:127.0.0.1]:80', '2130706433:80', '0x7f.1:80', '0:80']) {
    const tunnel = await openTunnel(proxy.socketPath, target);
    assert.is(tunnel.status, 'HTTP/1.1 403 Forbidden', target);
    tunnel.socket.destroy();
  }
  await close();
  assert.equal(events.map((e) => e.target), ['169.254.169.254:80', '[::1]:80', '[::ffff:7f00:1]:80', '127.0.0.1:80', '127.0.0.1:80', '0.0.0.0:80']);
});

refused.run();

// ---

const asking = suite('startProxy: ask');
asking.before(async () => { origin = await startOrigin(); });
asking.after(() => origin.close());

asking('should hold the connection while asking, then tunnel on yes', async () => {
  let answer!: (yes: boolean) => void;
  const asked: string[] = [];
  const { proxy, events, close } = await startTestProxy({
    allowNet: [`127.0.0.1:${origin.port}`], // explicit for the address; the name below is not granted
    resolve: async () => ['127.0.0.1'],
    ask: (host, port) => { asked.push(`${host}:${port}`); return new Promise((ok) => { answer = ok; }); },
  });
  const socket = connect(proxy.socketPath);
  let received = '';
  socket.on('data', (d) => { received += d; });
  socket.write(`CONNECT 169.254.169.254:80 HTTP/1.1\r\n\r\nCONNECT x HTTP/1.1\r\n\r\n`);
  await sleep(50);
  assert.equal(asked, [], 'a link-local (metadata) IP literal is denied without asking');
  assert.match(received, /^HTTP\/1\.1 403/);
  socket.destroy();

  const tunnelP = openTunnel(proxy.socketPath, `mirror.example.test:${origin.port}`);
  await sleep(100);
  assert.equal(asked, [`mirror.example.test:${origin.port}`]);
  assert.is(events.length, 1, 'no event until the answer');
  answer(true);
  const tunnel = await tunnelP;
  await close();
  // The name resolves to loopback and only a grant naming it exactly opens loopback: a yes is not enough.
  assert.is(tunnel.status, 'HTTP/1.1 403 Forbidden');
  assert.is(events[1].decision, 'denied');
});

asking('should ask about a loopback IP literal and tunnel to exactly that address on yes', async () => {
  const asked: string[] = [];
  const { proxy, events, close } = await startTestProxy({ ask: async (host, port) => { asked.push(`${host}:${port}`); return true; }, resolve: async () => { throw new Error('a literal is never resolved'); } });
  const tunnel = await openTunnel(proxy.socketPath, `127.0.0.1:${origin.port}`);
  tunnel.socket.destroy();
  await close();
  assert.equal(asked, [`127.0.0.1:${origin.port}`], 'the question names the loopback address itself');
  assert.is(tunnel.status, 'HTTP/1.1 200 Connection established');
  assert.is(events[0].decision, 'asked-allowed');
});

asking('should tunnel to a public-looking answer after yes and report asked-allowed', async () => {
  let answer!: (yes: boolean) => void;
  const { proxy, events, close } = await startTestProxy({
    // resolve answers with a TEST-NET address that classifies as public; the connect then fails with 502,
    // which still shows the order: ask, then resolve, then dial the checked address.
    resolve: async () => ['192.0.2.1'],
    ask: () => new Promise((ok) => { answer = ok; }),
    limits: { connectTimeoutMs: 200 },
  });
  const pending = rawExchange(proxy.socketPath, `GET http://cdn.example.test/x HTTP/1.1\r\n\r\n`);
  await sleep(50);
  answer(true);
  const { text } = await pending;
  await close();
  assert.match(text, /^HTTP\/1\.1 502/);
  assert.is(events[0].decision, 'asked-allowed');
  assert.match(events[0].detail!, /^GET 502 (ETIMEDOUT|ENETUNREACH|EHOSTUNREACH|ECONNREFUSED)/);
});

asking('should answer 403 and report asked-denied on no', async () => {
  const { proxy, events, close } = await startTestProxy({ ask: async () => false, resolve: async () => { throw new Error('must not resolve'); } });
  const tunnel = await openTunnel(proxy.socketPath, 'cdn.example.test:443');
  const rest = await readAll(tunnel.socket);
  await close();
  assert.is(tunnel.status, 'HTTP/1.1 403 Forbidden');
  assert.match(tunnel.head + rest, /from connecting to cdn\.example\.test:443: refused at the prompt\. To allow it, add "cdn\.example\.test:443"/);
  assert.is(events[0].decision, 'asked-denied');
});

asking('should treat a silent or failing prompter as no', async () => {
  const { proxy, events, close } = await startTestProxy({ ask: () => new Promise(() => {}), limits: { askTimeoutMs: 100 } });
  const slow = await openTunnel(proxy.socketPath, 'cdn.example.test:443');
  await close();
  const second = await startTestProxy({ ask: async () => { throw new Error('prompter broke'); } });
  const broken = await openTunnel(second.proxy.socketPath, 'cdn.example.test:443');
  await second.close();
  assert.is(slow.status, 'HTTP/1.1 403 Forbidden');
  assert.is(broken.status, 'HTTP/1.1 403 Forbidden');
  assert.equal([events[0].decision, second.events[0].decision], ['asked-denied', 'asked-denied']);
});

asking.run();

// ---

const hostile = suite('startProxy: hostile input');

hostile('should answer 400 to origin-form, other schemes and bad CONNECT targets', async () => {
  const { proxy, events, close } = await startTestProxy({ allowNet: ['example.test:*'] });
  const cases: [string, RegExp][] = [
    ['GET /file HTTP/1.1\r\nHost: example.test\r\n\r\n', /send absolute-form requests/],
    ['GET https://example.test/ HTTP/1.1\r\n\r\n', /use CONNECT for https/],
    ['CONNECT example.test HTTP/1.1\r\n\r\n', /CONNECT needs host:port/],
    ['CONNECT example.test:0 HTTP/1.1\r\n\r\n', /port must be 1-65535/],
    ['CONNECT ex%61mple.test:443 HTTP/1.1\r\n\r\n', /not a valid name/],
  ];
  for (const [request, reason] of cases) {
    const { text } = await rawExchange(proxy.socketPath, request);
    assert.match(text, /^HTTP\/1\.1 400 /, request);
    assert.match(body(text), reason, request);
  }
  await close();
  assert.ok(events.every((e) => e.target === 'invalid' && e.decision === 'denied'));
  assert.is(proxy.stats.malformed, cases.length);
});

hostile('should answer 400 to garbage and keep serving', async () => {
  const { proxy, close } = await startTestProxy();
  for (const junk of ['HELLO\r\n\r\n', '\x00\x01\x02\xff\r\n\r\n', 'GET http://a b/ HTTP/1.1\r\n\r\n', 'GET\r\n\r\n', '\x16\x03\x01\x02\x00\x01\x00']) {
    const { text, closed } = await rawExchange(proxy.socketPath, Buffer.from(junk, 'latin1'));
    assert.ok(closed, JSON.stringify(junk));
    assert.match(text, /^HTTP\/1\.1 400 /, JSON.stringify(junk));
  }
  const after = await rawExchange(proxy.socketPath, 'GET http://example.test/ HTTP/1.1\r\n\r\n');
  await close();
  assert.match(after.text, /^HTTP\/1\.1 403 /);
});

hostile('should answer 431 to a request head over 64 KiB', async () => {
  const { proxy, events, close } = await startTestProxy();
  const { text, closed } = await rawExchange(proxy.socketPath, `GET http://example.test/ HTTP/1.1\r\nX-Pad: ${'a'.repeat(70 * 1024)}\r\n\r\n`);
  await close();
  assert.ok(closed);
  assert.match(text, /^HTTP\/1\.1 431 /);
  assert.is(events[0].detail, '431 HPE_HEADER_OVERFLOW');
});

hostile('should drop a client that never finishes its request head (slowloris)', async () => {
  const { proxy, close } = await startTestProxy({ limits: { headersTimeoutMs: 300 } });
  const socket = connect(proxy.socketPath);
  socket.on('error', () => {});
  const started = Date.now();
  const drip = setInterval(() => socket.write('X-A: b\r\n'), 50);
  socket.write('GET http://example.test/ HTTP/1.1\r\n');
  await new Promise((ok) => socket.on('close', ok));
  clearInterval(drip);
  await close();
  assert.ok(Date.now() - started < 2500, `closed after ${Date.now() - started} ms`);
});

hostile('should survive many connections opened and abandoned at once', async () => {
  const { proxy, close } = await startTestProxy();
  const sockets = Array.from({ length: 200 }, () => {
    const s = connect(proxy.socketPath);
    s.on('error', () => {});
    s.write('CONNECT example.test:443 HTTP/1.1\r\n');
    return s;
  });
  await sleep(100);
  for (const s of sockets) s.destroy();
  const { text } = await rawExchange(proxy.socketPath, 'CONNECT example.test:443 HTTP/1.1\r\n\r\n');
  await close();
  assert.match(text, /^HTTP\/1\.1 403 /);
});

hostile('should keep going when the event listener throws', async () => {
  const { proxy, close } = await startTestProxy({ onEvent: () => { throw new Error('listener broke'); } });
  const { text } = await rawExchange(proxy.socketPath, 'CONNECT example.test:443 HTTP/1.1\r\n\r\n');
  await close();
  assert.match(text, /^HTTP\/1\.1 403 /);
});

hostile.run();
