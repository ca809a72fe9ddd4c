// The CI room: decisions that let a --ci run fail before anything runs.
export { findRefusedScripts, platformMatches, type RefusedScript, type PreflightLockfile, type FindRefusedScriptsInput } from './find-refused-scripts.js';
export { npmOmit, type OmitType } from './npm-omit.js';
export { preflightScripts, refuseBeforeRun, refusedFinding, type PreflightInput, type RefuseBeforeRunInput } from './refuse-before-run.js';
