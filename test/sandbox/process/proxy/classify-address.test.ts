import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { classifyAddress } from '../../../../src/sandbox/process/proxy/index.js';

const classify = suite('classifyAddress');

const cases: [string, string | undefined][] = [
  ['8.8.8.8', undefined],
  ['104.16.0.1', undefined],
  ['172.15.255.255', undefined],
  ['172.32.0.1', undefined],
  ['192.169.0.1', undefined],
  ['2606:4700::1111', undefined],
  ['0.0.0.0', 'unspecified'],
  ['127.0.0.1', 'loopback'],
  ['127.255.255.254', 'loopback'],
  ['10.1.2.3', 'private'],
  ['172.16.0.1', 'private'],
  ['172.31.255.255', 'private'],
  ['192.168.1.1', 'private'],
  ['100.64.0.1', 'private'],
  ['169.254.169.254', 'metadata'],
  ['169.254.1.1', 'link-local'],
  ['224.0.0.1', 'multicast'],
  ['255.255.255.255', 'reserved'],
  ['::', 'unspecified'],
  ['::1', 'loopback'],
  ['0:0:0:0:0:0:0:1', 'loopback'],
  ['fc00::1', 'private'],
  ['fd12:3456::1', 'private'],
  ['fe80::1', 'link-local'],
  ['febf::1', 'link-local'],
  ['ff02::1', 'multicast'],
  ['::ffff:127.0.0.1', 'loopback'],
  ['::ffff:7f00:1', 'loopback'],
  ['::ffff:169.254.169.254', 'metadata'],
  ['::ffff:8.8.8.8', undefined],
  ['64:ff9b::10.0.0.1', 'private'],
  ['fe80::1%eth0', 'link-local'],
  ['not-an-ip', 'reserved'],
];

for (const [address, expected] of cases) {
  classify(`${address} -> ${expected ?? 'public'}`, () => {
    assert.is(classifyAddress(address), expected);
  });
}

classify.run();
