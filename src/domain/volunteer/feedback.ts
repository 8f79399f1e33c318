/** Feedback after service (反馈): a 1–5 rating with optional text. */

export const RATING_MIN = 1;
export const RATING_MAX = 5;
export const FEEDBACK_TEXT_MAX = 300;

export const RATING_LABELS: Record<number, string> = {
  1: '很不满意',
  2: '不满意',
  3: '一般',
  4: '满意',
  5: '非常满意',
};

/** "★★★★☆" for 4. */
export function ratingStars(rating: number): string {
  const r = Math.min(RATING_MAX, Math.max(0, Math.round(rating)));
  return '★'.repeat(r) + '☆'.repeat(RATING_MAX - r);
}

/** Mean rating to one decimal, or null without ratings. */
export function averageRating(items: ReadonlyArray<{ rating: number }>): number | null {
  if (items.length === 0) return null;
  return Math.round((items.reduce((sum, i) => sum + i.rating, 0) / items.length) * 10) / 10;
}
