// The tamper witness: watch sensitive host paths during an install and explain what changed.
export type { TamperChange, TamperWatch, TamperWatchOptions, WatchTarget } from './types.js';
export { startTamperWatch } from './start-tamper-watch.js';
export { explainTamper, npmOwnedPaths, type ExplainTamperOptions, type NpmOwnedPathsOptions } from './explain-tamper.js';
export { listWatchTargets, isWatchedPath } from './list-watch-targets.js';
