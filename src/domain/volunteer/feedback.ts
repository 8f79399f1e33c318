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

export type FeedbackSide = 'volunteer' | 'secretary';
export type FeedbackRefusal = 'SERVICE_NOT_FOUND' | 'SERVICE_NOT_DONE';

export const FEEDBACK_REFUSAL_MESSAGES: Record<FeedbackRefusal, string> = {
  SERVICE_NOT_FOUND: '没有找到这次服务',
  SERVICE_NOT_DONE: '服务结束后才能反馈',
};

/**
 * Feedback on a service is given by its volunteer or by the secretary (others are told there is
 * no such service), once the service has ended. Answers the side the caller gives it from.
 */
export function feedbackSide<S extends { openid: string; status: string }>(
  service: S | null,
  caller: { openid: string; role: string },
): { refusal: FeedbackRefusal } | { service: S; side: FeedbackSide } {
  const mine = service?.openid === caller.openid;
  if (!service || (!mine && caller.role !== 'secretary')) return { refusal: 'SERVICE_NOT_FOUND' };
  if (service.status === 'open') return { refusal: 'SERVICE_NOT_DONE' };
  return { service, side: mine ? 'volunteer' : 'secretary' };
}

/** One feedback per side per service. */
export function feedbackId(serviceId: string, side: FeedbackSide): string {
  return `${serviceId}_${side}`;
}
