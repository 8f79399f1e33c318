import { setRequestJitter } from '../../local/cloud';

/** Upper bound of the random delay before each database request in concurrency tests, in ms. */
export const INTERLEAVE_MAX_MS = 4;

/**
 * Makes the database requests of this test file interleave as production's do: many function
 * instances, each request a network round trip. Every request waits a random 0–`maxMs` ms first,
 * so concurrent invocations in one process overtake each other between any two requests.
 */
export function interleaveDatabaseRequests(maxMs: number = INTERLEAVE_MAX_MS): void {
  let previous = 0;
  beforeAll(() => {
    previous = setRequestJitter(maxMs);
  });
  afterAll(() => {
    setRequestJitter(previous);
  });
}
