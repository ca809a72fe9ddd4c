// Tell routine events (a build writing its own dir, a libc loading its locale) from ones a reader should see (pure).
import type { SandboxEvent } from '../../../events/types.js';
import type { TraceContext } from './types.js';
import { isUnder } from './sensitive-paths.js';

const SYSTEM_READS = [
  /^\/(usr\/)?lib(32|64|x32)?\//, /^\/usr\/local\/lib\//, /^\/usr\/share\/(locale|zoneinfo|i18n|terminfo)\//,
  /^\/etc\/(ld\.so\.cache|ld\.so\.preload|localtime|nsswitch\.conf|passwd|group|hosts|host\.conf|resolv\.conf|gai\.conf|locale\.alias)$/,
  /^\/dev\/(null|zero|u?random|tty)$/, /^\/sys\//, /^\/etc\/ssl\//, /^\/usr\/s?bin\//, /^\/s?bin\//,
  /^\/proc\/(self|thread-self|\d+)\/(maps|stat|statm|status|cgroup|mountinfo|limits|exe|fd|auxv)\b/, /^\/proc\/(meminfo|cpuinfo|stat|filesystems|sys\/)/,
];
const STREAM_WRITES = [/^\/dev\/(null|tty|stdout|stderr|pts\/\d+|fd\/\d+)$/, /^\/proc\/self\/fd\/\d+$/];
const NSCD = new Set(['/var/run/nscd/socket', '/run/nscd/socket']);

// True for writes and deletes in the package dir or the private /tmp, reads of system libraries and
// glibc's nscd probe; denied events are never noise (except the nscd probe, which fails on every host without nscd).
export function isNoise(event: SandboxEvent, ctx: TraceContext): boolean {
  if (event.kind === 'net.connect') return NSCD.has(event.target);
  if (event.decision !== 'allowed') return false;
  const t = event.target;
  if (event.kind === 'fs.write' || event.kind === 'fs.delete') {
    if (STREAM_WRITES.some((re) => re.test(t))) return true;
    if (isUnder(t, ctx.home) && !isUnder(t, ctx.pkgDir)) return false;
    return isUnder(t, ctx.pkgDir) || isUnder(t, '/tmp');
  }
  if (event.kind === 'fs.read') return isUnder(t, ctx.pkgDir) || SYSTEM_READS.some((re) => re.test(t));
  return false;
}
