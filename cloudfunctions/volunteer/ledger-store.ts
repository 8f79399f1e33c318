// issue 11: moved to cloudfunctions/_shared (ledger.ts, data.ts); this re-export goes with the
// volunteer refactor.
export { appendEntries, hasEntry, type NewEntry } from '../_shared/ledger';
export { READ_ALL_MAX, readAll } from '../_shared/data';
