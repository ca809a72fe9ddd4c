import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { parseAbsoluteTarget, parseConnectTarget } from '../../../../src/sandbox/process/proxy/parse-target.js';
import { blockedMessage } from '../../../../src/sandbox/process/proxy/index.js';
import { IDENTITY } from './helpers.js';

const connect = suite('parseConnectTarget');

connect('should read host:port, lowercasing names and rewriting odd IPv4 spellings', () => {
  assert.equal(parseConnectTarget('Example.com:443'), { ok: true, target: { host: 'example.com', ip: 0, port: 443 } });
  assert.equal(parseConnectTarget('[::1]:8080'), { ok: true, target: { host: '::1', ip: 6, port: 8080 } });
  assert.equal(parseConnectTarget('0x7f000001:80'), { ok: true, target: { host: '127.0.0.1', ip: 4, port: 80 } });
  assert.equal(parseConnectTarget('127.1:80'), { ok: true, target: { host: '127.0.0.1', ip: 4, port: 80 } });
});

const badConnect = ['example.com', 'example.com:', 'example.com:0', 'example.com:65536', 'example.com:-1', ':443',
  'user@example.com:443', 'example.com:443/x', '::1:443', 'a b:443', 'a%00b:443', '[::1', 'x.999:80', `${'a'.repeat(300)}:80`];
for (const authority of badConnect) {
  connect(`should refuse ${JSON.stringify(authority)}`, () => {
    assert.is(parseConnectTarget(authority).ok, false);
  });
}

connect.run();

// ---

const absolute = suite('parseAbsoluteTarget');

absolute('should read http URLs with their default port and path', () => {
  assert.equal(parseAbsoluteTarget('http://Example.com/a/b?c=1'), { ok: true, target: { host: 'example.com', ip: 0, port: 80, path: '/a/b?c=1' } });
  assert.equal(parseAbsoluteTarget('http://127.0.0.1:8080/file'), { ok: true, target: { host: '127.0.0.1', ip: 4, port: 8080, path: '/file' } });
  assert.equal(parseAbsoluteTarget('http://[::1]:81/'), { ok: true, target: { host: '::1', ip: 6, port: 81, path: '/' } });
});

absolute('should refuse origin-form, other schemes and credentials', () => {
  for (const url of ['/file', '*', 'https://example.com/', 'ftp://example.com/', 'http://u:p@example.com/', 'http://', 'gopher']) {
    assert.is(parseAbsoluteTarget(url).ok, false, url);
  }
});

absolute.run();

// ---

const message = suite('blockedMessage');

message('should name the package, script, destination and the policy line to add', () => {
  assert.is(
    blockedMessage(IDENTITY, 'example.com', 443, { kind: 'not-granted' }),
    'safe-install: blocked prebuilt-thing@1.2.3 (postinstall) from connecting to example.com:443. ' +
      'To allow it, add "example.com:443" to packages["prebuilt-thing"].allow.net in safe-install.policy.json\n',
  );
});

message('should say why an internal address was refused', () => {
  assert.is(
    blockedMessage({ ...IDENTITY, package: '@scope/pkg@2.0.0' }, 'cdn.example.com', 80, { kind: 'restricted', address: '169.254.169.254', class: 'metadata' }),
    'safe-install: blocked @scope/pkg@2.0.0 (postinstall) from connecting to cdn.example.com:80: it resolves to 169.254.169.254, ' +
      'a metadata address, reached only when a grant names the host exactly. ' +
      'To allow it, add "cdn.example.com:80" to packages["@scope/pkg"].allow.net in safe-install.policy.json\n',
  );
  assert.is(
    blockedMessage(IDENTITY, '::1', 8080, { kind: 'restricted', address: '::1', class: 'loopback' }),
    'safe-install: blocked prebuilt-thing@1.2.3 (postinstall) from connecting to [::1]:8080: ::1 is a loopback address, ' +
      'reached only when a grant names it exactly. ' +
      'To allow it, add "[::1]:8080" to packages["prebuilt-thing"].allow.net in safe-install.policy.json\n',
  );
});

message.run();
