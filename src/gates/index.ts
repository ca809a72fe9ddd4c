// The gates room: checks of the resolved tree that run before npm installs anything (docs/gates.md).
export type { GateRule, GateDecision, GateResult, TreeEntry, SourceKind, NpmGateSettings } from './types.js';
export { GATE_RULES } from './types.js';
export { gatesSchema, gateKeysAt, defaultGateSettings, DEFAULT_SHADOWED_COMMANDS, type GateSettings } from './gates-schema.js';
export { runGates, type GateInput } from './run-gates.js';
export { settleGates, type SettledGates, type GateOutcome } from './settle-gates.js';
export { checkTreeBeforeScripts, type CheckTreeInput, type TreeCheck } from './check-tree-before-scripts.js';
export { checkTreeAfterInstall } from './check-tree-after-install.js';
export { refuseInstall } from './refuse-install.js';
