// Decide whether one destination may be reached, and at which addresses.
// Order matters for security: a name no grant covers is never resolved before the user allows it
// (a lookup of `secret.attacker.example` would already leak the secret through DNS), and an IP literal
// in a refused range is denied without asking.
import type { EventDecision } from '../../../events/types.js';
import { classifyAddress } from './classify-address.js';
import { matchNetGrant } from './match-net-grant.js';
import type { Refusal } from './blocked-message.js';
import type { ProxyTarget } from './parse-target.js';

/** The deciders a check may call: both injected so tests need no terminal and no DNS. */
export interface DestinationDeciders {
  allowNet: readonly string[];
  /** Asked for a destination no grant covers; absent means deny. */
  ask?: (host: string, port: number) => Promise<boolean>;
  /** Resolve a name to addresses on the host. */
  resolve: (host: string) => Promise<string[]>;
}

/** What the proxy does with a destination. */
export type Verdict =
  | { decision: 'allowed' | 'asked-allowed'; pattern?: string; addresses: string[] }
  | { decision: 'allowed' | 'asked-allowed'; pattern?: string; addresses: []; error: string }
  | { decision: Extract<EventDecision, 'denied' | 'asked-denied'>; refusal: Refusal };

// Check grant, prompt and addresses for one target; the addresses returned are the only ones to connect to.
export async function checkDestination(deciders: DestinationDeciders, target: ProxyTarget): Promise<Verdict> {
  const match = matchNetGrant(deciders.allowNet, target.host, target.port);
  const explicit = match?.explicit ?? false;
  let decision: 'allowed' | 'asked-allowed' = 'allowed';
  if (!match) {
    const cls = target.ip ? classifyAddress(target.host) : undefined;
    // A loopback or private IP literal may be asked about: the question shows the address itself, so a
    // yes is as explicit as a grant naming it. Link-local (cloud metadata), multicast and the like never are.
    const askable = cls === undefined || cls === 'loopback' || cls === 'private';
    if (!askable || (cls && !deciders.ask)) return { decision: 'denied', refusal: { kind: 'restricted', address: target.host, class: cls! } };
    if (!deciders.ask) return { decision: 'denied', refusal: { kind: 'not-granted' } };
    let yes = false;
    try { yes = await deciders.ask(target.host, target.port); } catch { yes = false; }
    if (!yes) return { decision: 'asked-denied', refusal: { kind: 'asked-denied' } };
    decision = 'asked-allowed';
    if (cls) return { decision, addresses: [target.host] };
  }
  let addresses: string[];
  if (target.ip) addresses = [target.host];
  else {
    try {
      addresses = await deciders.resolve(target.host);
    } catch (err) {
      return { decision, pattern: match?.pattern, addresses: [], error: `cannot resolve ${target.host}: ${(err as NodeJS.ErrnoException).code ?? err}` };
    }
    if (addresses.length === 0) return { decision, pattern: match?.pattern, addresses: [], error: `cannot resolve ${target.host}` };
  }
  if (explicit) return { decision, pattern: match?.pattern, addresses };
  // A name that resolves to any internal address is refused outright rather than filtered: mixing public and
  // private answers is what a rebinding attacker does, and a clear refusal is easier to act on.
  for (const address of addresses) {
    const cls = classifyAddress(address);
    if (cls) {
      return { decision: 'denied', refusal: { kind: 'restricted', address, class: cls } };
    }
  }
  return { decision, pattern: match?.pattern, addresses };
}
