// The strace room: build strace's argv, parse its output, map syscalls to events.
export { straceArgv, tracedSyscalls } from './strace-argv.js';
export type { StraceArgvOptions, TraceMode } from './strace-argv.js';
export { createStraceParser } from './create-strace-parser.js';
export type { StraceParser } from './create-strace-parser.js';
export { parseStraceLine, classifyStraceLine, parseSockaddr } from './parse-strace-line.js';
export type { StraceLine } from './parse-strace-line.js';
export { decodeStraceString } from './decode-string.js';
export { syscallsToEvents } from './syscalls-to-events.js';
export { isNoise } from './is-noise.js';
export { sensitivePathMatcher } from './sensitive-paths.js';
export type { Syscall, SockAddr, TraceContext } from './types.js';
