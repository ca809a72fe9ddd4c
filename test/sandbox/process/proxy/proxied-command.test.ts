import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { forwarderCommand, proxiedCommand, proxyEnv, NODE_FORWARDER_SCRIPT } from '../../../../src/sandbox/process/proxy/index.js';
import { SOCAT_SNIPPET } from '../../../../src/sandbox/process/proxy/proxied-command.js';

const command = suite('proxiedCommand');

command('should wrap the command in the socat snippet by default', () => {
  assert.equal(proxiedCommand({ socketPathInSandbox: '/run/safe-install/proxy.sock', port: 3128, command: ['/bin/sh', '-c', 'node install.js'] }), [
    '/bin/sh', '-c', SOCAT_SNIPPET, 'safe-install-forwarder',
    '/usr/bin/socat', '/run/safe-install/proxy.sock', '3128', '0C38',
    '/bin/sh', '-c', 'node install.js',
  ]);
});

command('should use the node forwarder when asked', () => {
  assert.equal(forwarderCommand({ port: 8080, nodePath: '/usr/bin/node' }), [
    '/usr/bin/node', NODE_FORWARDER_SCRIPT, '--socket', '/run/safe-install/proxy.sock', '--port', '8080', '--',
  ]);
});

command('should refuse paths socat would misread and bad ports', () => {
  assert.throws(() => forwarderCommand({ socketPathInSandbox: '/run/a,b.sock' }), /socketPathInSandbox/);
  assert.throws(() => forwarderCommand({ socketPathInSandbox: 'relative.sock' }), /socketPathInSandbox/);
  assert.throws(() => forwarderCommand({ port: 0 }), /port/);
  assert.throws(() => proxiedCommand({ command: [] }), /command/);
});

command.run();

// ---

const env = suite('proxyEnv');

env('should point every proxy variable at the forwarder and clear no_proxy', () => {
  assert.equal(proxyEnv(3128), {
    http_proxy: 'http://127.0.0.1:3128',
    HTTP_PROXY: 'http://127.0.0.1:3128',
    https_proxy: 'http://127.0.0.1:3128',
    HTTPS_PROXY: 'http://127.0.0.1:3128',
    npm_config_proxy: 'http://127.0.0.1:3128',
    npm_config_https_proxy: 'http://127.0.0.1:3128',
    NODE_USE_ENV_PROXY: '1',
    no_proxy: '',
    NO_PROXY: '',
  });
});

env.run();
