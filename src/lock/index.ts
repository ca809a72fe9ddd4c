// The behaviour lock room: pin script bodies and observed behaviour per package@version, and find drift.
export type { BehaviourLock, LockEntry, SeenBehaviour, ObservedPackage } from './types.js';
export { LOCK_FILE_NAME, emptyLock } from './types.js';
export { hashScript } from './hash-script.js';
export { observeBehaviour, summarizeEvent, shortPlace, type ObserveContext } from './observe-behaviour.js';
export { findDrift, type FindDriftOptions, type DriftResult } from './find-drift.js';
export { mergeLock, type MergeLockOptions } from './merge-lock.js';
export { formatLock } from './format-lock.js';
export { readLock } from './read-lock.js';
export { writeLock } from './write-lock.js';
export { openBehaviourLock, installedKeys, type BehaviourLockCheck, type OpenBehaviourLockInput } from './check-behaviour-lock.js';
export { updateLock, type UpdateLockInput, type UpdateLockResult } from './update-lock.js';
