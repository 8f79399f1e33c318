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
