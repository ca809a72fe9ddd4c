// The network room: a per-script host proxy, the in-sandbox forwarder command, and the grant matcher.
export { startProxy, DEFAULT_PROXY_LIMITS } from './start-proxy.js';
export type { ProxyOptions, ProxyHandle, ProxyStats, ProxyLimits } from './start-proxy.js';
export type { ProxyIdentity, Refusal } from './blocked-message.js';
export { blockedMessage } from './blocked-message.js';
export { matchNetGrant, parseNetPattern } from './match-net-grant.js';
export type { NetGrantMatch, NetPattern } from './match-net-grant.js';
export { classifyAddress } from './classify-address.js';
export type { AddressClass } from './classify-address.js';
export {
  proxiedCommand, forwarderCommand, proxyEnv, findForwarder,
  SANDBOX_PROXY_SOCKET, DEFAULT_PROXY_PORT, NODE_FORWARDER_SCRIPT,
} from './proxied-command.js';
export type { Forwarder, ForwarderOptions } from './proxied-command.js';
