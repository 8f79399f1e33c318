import { RATING_LABELS, averageRating, feedbackSide, ratingStars } from './feedback';

describe('feedback', () => {
  it('draws ratings as five stars', () => {
    expect(ratingStars(4)).toBe('★★★★☆');
    expect(ratingStars(1)).toBe('★☆☆☆☆');
    expect(ratingStars(5)).toBe('★★★★★');
  });

  it('names every rating', () => {
    expect([1, 2, 3, 4, 5].map((r) => RATING_LABELS[r])).toEqual([
      '很不满意',
      '不满意',
      '一般',
      '满意',
      '非常满意',
    ]);
  });

  it('averages to one decimal', () => {
    expect(averageRating([])).toBeNull();
    expect(averageRating([{ rating: 5 }, { rating: 4 }, { rating: 4 }])).toBe(4.3);
  });
});

describe('feedbackSide', () => {
  const service = { openid: 'v1', status: 'closed' };
  it('is the volunteer on their own service, the secretary on anyone', () => {
    expect(feedbackSide(service, { openid: 'v1', role: 'volunteer' })).toEqual({
      service,
      side: 'volunteer',
    });
    expect(feedbackSide(service, { openid: 's', role: 'secretary' })).toEqual({
      service,
      side: 'secretary',
    });
  });

  it('hides other people’s service and waits for the service to end', () => {
    expect(feedbackSide(service, { openid: 'v2', role: 'volunteer' })).toEqual({
      refusal: 'SERVICE_NOT_FOUND',
    });
    expect(feedbackSide(null, { openid: 's', role: 'secretary' })).toEqual({
      refusal: 'SERVICE_NOT_FOUND',
    });
    expect(
      feedbackSide({ ...service, status: 'open' }, { openid: 'v1', role: 'volunteer' }),
    ).toEqual({
      refusal: 'SERVICE_NOT_DONE',
    });
  });
});
