// Write the text a refused script sees in its 403: who was blocked, from what, and the policy line that allows it.
import { formatHostPort } from './normalize-host.js';
import type { AddressClass } from './classify-address.js';

/** Which package and script a proxy instance serves. */
export interface ProxyIdentity {
  /** `name@version` from the lockfile. */
  package: string;
  /** Package path relative to the project root, e.g. `node_modules/foo`. */
  path: string;
  /** Lifecycle event name, e.g. `postinstall`. */
  script: string;
}

/** Why a destination was refused. */
export type Refusal =
  | { kind: 'not-granted' }
  | { kind: 'asked-denied' }
  | { kind: 'restricted'; address: string; class: AddressClass };

// Strip the version from `name@version` (scoped names keep their leading `@`).
export function packageName(pkg: string): string {
  const at = pkg.lastIndexOf('@');
  return at > 0 ? pkg.slice(0, at) : pkg;
}

// Build the 403 body: one paragraph naming the package, the destination and the grant line to add.
export function blockedMessage(identity: ProxyIdentity, host: string, port: number, refusal: Refusal): string {
  const target = formatHostPort(host, port);
  const who = `${identity.package || '(root project)'} (${identity.script})`;
  const why = refusalReason(refusal, host);
  const name = packageName(identity.package) || '(root)';
  return (
    `safe-install: blocked ${who} from connecting to ${target}${why}. ` +
    `To allow it, add "${target}" to packages["${name}"].allow.net in safe-install.policy.json\n`
  );
}

// Say why, in a clause appended to "blocked X from connecting to host:port".
function refusalReason(refusal: Refusal, host: string): string {
  switch (refusal.kind) {
    case 'not-granted':
      return '';
    case 'asked-denied':
      return ': refused at the prompt';
    case 'restricted':
      return refusal.address === host
        ? `: ${host} is a ${refusal.class} address, reached only when a grant names it exactly`
        : `: it resolves to ${refusal.address}, a ${refusal.class} address, reached only when a grant names the host exactly`;
  }
}
