import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { matchNetGrant, parseNetPattern } from '../../../../src/sandbox/process/proxy/index.js';

const match = suite('matchNetGrant');

// [grant lines, host, port, expected pattern or undefined, explicit]
const cases: [string[], string, number, string | undefined, boolean?][] = [
  [['example.com:443'], 'example.com', 443, 'example.com:443', true],
  [['example.com:443'], 'EXAMPLE.com', 443, 'example.com:443', true],
  [['Example.COM:443'], 'example.com.', 443, 'Example.COM:443', true],
  [['example.com:443'], 'example.com', 80, undefined],
  [['example.com:443'], 'www.example.com', 443, undefined],
  [['*.example.com:443'], 'a.example.com', 443, '*.example.com:443', false],
  [['*.example.com:443'], 'a.b.example.com', 443, '*.example.com:443', false],
  [['*.example.com:443'], 'example.com', 443, undefined],
  [['*.example.com:443'], 'badexample.com', 443, undefined],
  [['*.example.com:443'], 'example.com.evil.test', 443, undefined],
  [['*.example.com:443'], 'a.example.com', 80, undefined],
  [['*.example.com:*'], 'a.example.com', 8443, '*.example.com:*', false],
  [['example.com:*'], 'example.com', 1, 'example.com:*', true],
  [['example.com:*'], 'example.com', 65535, 'example.com:*', true],
  [['127.0.0.1:8080'], '127.0.0.1', 8080, '127.0.0.1:8080', true],
  [['127.0.0.1:8080'], '127.1', 8080, '127.0.0.1:8080', true],
  [['127.0.0.1:8080'], '127.0.0.2', 8080, undefined],
  [['[::1]:8080'], '::1', 8080, '[::1]:8080', true],
  [['[::1]:8080'], '[0:0::1]', 8080, '[::1]:8080', true],
  [['[::1]:*'], '::1', 9, '[::1]:*', true],
  [['[2001:DB8::1]:443'], '2001:db8::1', 443, '[2001:DB8::1]:443', true],
  [['*.example.com:443', 'a.example.com:443'], 'a.example.com', 443, 'a.example.com:443', true],
  [['bücher.de:443'], 'xn--bcher-kva.de', 443, 'bücher.de:443', true],
  // Forms that are not grants match nothing.
  [['*:443'], 'example.com', 443, undefined],
  [['*.com:443'], 'example.com', 443, undefined],
  [['*.127.0.0.1:80'], '1.127.0.0.1', 80, undefined],
  [['example.com'], 'example.com', 443, undefined],
  [['https://example.com:443'], 'example.com', 443, undefined],
  [['example.com:0'], 'example.com', 0, undefined],
  [['example.com:70000'], 'example.com', 70000, undefined],
  [['::1:80'], '::1', 80, undefined],
  [[], 'example.com', 443, undefined],
];

for (const [lines, host, port, pattern, explicit] of cases) {
  match(`${JSON.stringify(lines)} vs ${host}:${port} -> ${pattern ?? 'no match'}`, () => {
    const got = matchNetGrant(lines, host, port);
    if (pattern === undefined) assert.is(got, undefined);
    else assert.equal(got, { pattern, explicit: explicit ?? true });
  });
}

match.run();

// ---

const parse = suite('parseNetPattern');

parse('should read the three documented forms', () => {
  assert.equal(parseNetPattern('registry.example.org:443'), { source: 'registry.example.org:443', host: 'registry.example.org', wildcard: false, port: 443 });
  assert.equal(parseNetPattern('*.github.com:443'), { source: '*.github.com:443', host: 'github.com', wildcard: true, port: 443 });
  assert.equal(parseNetPattern('localhost:*'), { source: 'localhost:*', host: 'localhost', wildcard: false, port: undefined });
});

parse('should refuse wildcards over IPs and single labels', () => {
  assert.is(parseNetPattern('*.10.0.0.1:80'), undefined);
  assert.is(parseNetPattern('*.localhost:80'), undefined);
  assert.is(parseNetPattern('*:*'), undefined);
});

parse.run();
