import { type VisitStatus, compareByDue } from './cadence';
import { isVisitPost } from './visit-log';

/**
 * The roster's order: active elders first, then archived; within each, the most due first
 * (compareByDue: overdue before due, sooner before later, then by name).
 */
export function compareRoster(
  a: { archived: boolean; name: string; status: VisitStatus },
  b: { archived: boolean; name: string; status: VisitStatus },
): number {
  return Number(a.archived) - Number(b.archived) || compareByDue(a, b);
}

/** A volunteer the secretary may pair with an elder. */
export interface PairCandidate {
  openid: string;
  maskedName: string;
  maskedPhone: string;
  /** The volunteer's claim on a "关爱老人日常探访" post, when there is one. */
  claimId: string | null;
  postTitle: string | null;
}

/**
 * Pairing candidates: every approved volunteer (names and phones already masked), with their
 * first claim (in the order given) on an elder-visit post; those holding such a claim first, then
 * by name in Chinese order.
 */
export function pairCandidates(
  volunteers: ReadonlyArray<{ openid: string; maskedName: string; maskedPhone: string }>,
  claims: ReadonlyArray<{ id: string; openid: string; postId: string }>,
  posts: ReadonlyArray<{ id: string; title: string }>,
): PairCandidate[] {
  const visitPosts = new Map(posts.filter((p) => isVisitPost(p.title)).map((p) => [p.id, p]));
  const claimOf = new Map<string, { id: string; postId: string }>();
  for (const c of claims)
    if (visitPosts.has(c.postId) && !claimOf.has(c.openid)) claimOf.set(c.openid, c);
  const rows = volunteers.map((v) => {
    const claim = claimOf.get(v.openid);
    return {
      ...v,
      claimId: claim?.id ?? null,
      postTitle: claim ? (visitPosts.get(claim.postId)?.title ?? null) : null,
    };
  });
  return rows.sort(
    (a, b) =>
      Number(b.claimId !== null) - Number(a.claimId !== null) ||
      a.maskedName.localeCompare(b.maskedName, 'zh-Hans-CN'),
  );
}

/** The refusal a change to an archived elder answers. */
export const ELDER_ARCHIVED_CHANGE = {
  code: 'ELDER_ARCHIVED',
  message: '这位老人已归档，不能修改',
} as const;

/** The fields of a change whose value differs from the record's (compared as JSON). */
export function changedFields<F extends object>(existing: F, fields: F): Array<keyof F> {
  return (Object.keys(fields) as Array<keyof F>).filter(
    (k) => JSON.stringify(existing[k]) !== JSON.stringify(fields[k]),
  );
}

/** Consent is given again (and its time kept anew) when its version or who gave it changes. */
export function consentRenewed(
  existing: { consentVersion: string; consentBy: string },
  consent: { version: string; by: string },
): boolean {
  return existing.consentVersion !== consent.version || existing.consentBy !== consent.by;
}

/** The access log's line for a change to an elder's record. */
export function elderChangeDetail(changed: readonly string[], flaggedChange: boolean): string {
  const what = changed.length > 0 ? `修改：${changed.join('、')}` : '保存（无改动）';
  return `${what}${flaggedChange ? '；标记重大变化' : ''}`;
}

/** The access log's line for an elder added to the roster, with the consent given. */
export function elderCreateDetail(consent: { version: string; by: 'elder' | 'guardian' }): string {
  return `新增（${consent.by === 'elder' ? '本人' : '监护人'}同意收集目的 ${consent.version}）`;
}

/** Only an elder on the active roster is changed. */
export function changeRefusal(elder: {
  status: 'active' | 'archived';
}): typeof ELDER_ARCHIVED_CHANGE | null {
  return elder.status === 'archived' ? ELDER_ARCHIVED_CHANGE : null;
}
