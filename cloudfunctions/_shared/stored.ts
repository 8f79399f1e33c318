/**
 * Stored document types are derived from the domain's types, never typed again by hand: the
 * domain shape with its `id` kept as the document's `_id`, and the times it carries as ISO-8601
 * strings (how they cross callFunction) stored as `Date` (how the database keeps and orders
 * them). Fields only the store knows (`_openid`, request keys, counters) are added with `&`.
 *
 *   export type VolunteerDoc = Stored<Registration, 'consentAt' | 'createdAt'> & { _openid: string };
 *
 * Each document type has one view mapper beside it (`volunteerView(doc)`) that turns it back into
 * the domain/contract shape with `isoString` (json.ts).
 */

/** An ISO-8601 string field as stored: a `Date` (optionality and `null` are kept). */
type AsDate<V> = V extends string ? Date : V;

/** `T` as stored: `id` → `_id`; the fields named in `Times` (ISO strings in `T`) → `Date`. */
export type Stored<T, Times extends keyof T = never> = Omit<T, 'id' | Times> & {
  [K in keyof Pick<T, Times>]: AsDate<T[K]>;
} & { _id: string };
