import { RATING_LABELS, averageRating, ratingStars } from './feedback';

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
