import * as v from 'valibot';
import {
  browseCategories,
  type ListDraft,
  type Schedule,
  claimDeadline,
  claimEndsAt,
  copiedPeriod,
  copyListDraft,
  nextPeriodFrom,
  scheduleFromForm,
  scheduleSchema,
  describeSchedule,
  listDraftSchema,
  occurrences,
  placesLeft,
  publishRefusal,
  schedulesOverlap,
  withdrawDeadline,
} from './opportunity';
import { shanghaiInstant } from '../shared/time';

const weekly = (
  weekdays: number[],
  start: number,
  end: number,
  from: string,
  until: string,
): Schedule => ({ kind: 'weekly', weekdays, start, end, from, until });

function aList(overrides: Partial<ListDraft> = {}): ListDraft {
  return {
    title: '三月机会岗位清单',
    periodFrom: '2025-03-01',
    periodUntil: '2025-03-31',
    categories: [{ id: 'care', name: '关爱老人' }],
    posts: [
      {
        categoryId: 'care',
        title: '关爱老人日常探访',
        description: '',
        schedule: { kind: 'once', date: '2025-03-10', start: 540, end: 660 },
        capacity: 5,
        points: 10,
        requirements: { partyMemberOnly: false, note: '' },
        location: { place: '光华社区' },
      },
    ],
    ...overrides,
  };
}

describe('schedules', () => {
  it('enumerates weekly occurrences on the chosen weekdays in Asia/Shanghai', () => {
    // March 2025: Mondays are 3, 10, 17, 24, 31.
    expect(
      occurrences(weekly([1], 540, 600, '2025-03-01', '2025-03-31')).map((o) => o.date),
    ).toEqual(['2025-03-03', '2025-03-10', '2025-03-17', '2025-03-24', '2025-03-31']);
  });
  it('detects overlap between one-off and recurring schedules; touching ends do not overlap', () => {
    const mon = weekly([1], 540, 600, '2025-03-01', '2025-03-31');
    expect(schedulesOverlap(mon, { kind: 'once', date: '2025-03-10', start: 570, end: 630 })).toBe(
      true,
    );
    expect(schedulesOverlap(mon, { kind: 'once', date: '2025-03-10', start: 600, end: 630 })).toBe(
      false,
    );
    expect(schedulesOverlap(mon, { kind: 'once', date: '2025-03-11', start: 540, end: 600 })).toBe(
      false,
    );
    expect(schedulesOverlap(mon, weekly([1, 3], 500, 560, '2025-03-20', '2025-04-20'))).toBe(true);
    expect(schedulesOverlap(mon, weekly([2], 500, 560, '2025-03-01', '2025-04-20'))).toBe(false);
  });
  it('sets claim and withdraw deadlines from the last occurrence', () => {
    const s = weekly([1], 540, 600, '2025-03-01', '2025-03-31');
    expect(claimDeadline(s).toISOString()).toBe(shanghaiInstant('2025-03-31', 540).toISOString());
    expect(withdrawDeadline(s).toISOString()).toBe(
      shanghaiInstant('2025-03-31', 420).toISOString(),
    );
  });
  it('ends a claim at the end of the last occurrence', () => {
    expect(claimEndsAt(weekly([1], 540, 600, '2025-03-01', '2025-03-31')).toISOString()).toBe(
      shanghaiInstant('2025-03-31', 600).toISOString(),
    );
    expect(
      claimEndsAt({ kind: 'once', date: '2025-03-10', start: 540, end: 660 }).toISOString(),
    ).toBe(shanghaiInstant('2025-03-10', 660).toISOString());
    // No occurrence at all (no chosen weekday in the period): the claim deadline.
    const none = weekly([0], 540, 600, '2025-03-03', '2025-03-04');
    expect(claimEndsAt(none).toISOString()).toBe(claimDeadline(none).toISOString());
  });
  it('describes schedules in Chinese', () => {
    expect(describeSchedule({ kind: 'once', date: '2025-03-10', start: 540, end: 660 })).toBe(
      '2025-03-10 09:00–11:00',
    );
    expect(describeSchedule(weekly([3, 1], 540, 600, '2025-03-01', '2025-03-31'))).toBe(
      '每周一、三 09:00–10:00（03-01 至 03-31）',
    );
  });
});

describe('lists', () => {
  it('accepts a well-formed draft and rejects broken ones with Chinese messages', () => {
    expect(v.safeParse(listDraftSchema, aList()).success).toBe(true);
    const badPost = aList({ posts: [{ ...aList().posts[0], categoryId: 'other' }] });
    const r = v.safeParse(listDraftSchema, badPost);
    expect(r.success).toBe(false);
    const backwards = v.safeParse(listDraftSchema, aList({ periodUntil: '2025-02-01' }));
    expect(backwards.success).toBe(false);
    const badTime = aList({
      posts: [
        {
          ...aList().posts[0],
          schedule: { kind: 'once', date: '2025-03-10', start: 700, end: 600 },
        },
      ],
    });
    expect(v.safeParse(listDraftSchema, badTime).success).toBe(false);
    const badDate = aList({ periodFrom: '2025-02-30' });
    expect(v.safeParse(listDraftSchema, badDate).success).toBe(false);
  });
  it('publishes only non-empty drafts', () => {
    expect(publishRefusal({ status: 'draft', postCount: 3 })).toBeNull();
    expect(publishRefusal({ status: 'draft', postCount: 0 })).toBe('LIST_EMPTY');
    expect(publishRefusal({ status: 'published', postCount: 3 })).toBe('LIST_NOT_DRAFT');
  });
  it('copies a list to a new period, moving every date', () => {
    const source = aList({
      posts: [
        ...aList().posts,
        { ...aList().posts[0], schedule: weekly([1], 540, 600, '2025-03-03', '2025-03-24') },
      ],
    });
    const copy = copyListDraft(source, '2025-04-01');
    expect(copy.periodUntil).toBe('2025-05-01');
    expect(copy.posts[0].schedule).toMatchObject({ date: '2025-04-10' });
    expect(copy.posts[1].schedule).toMatchObject({ from: '2025-04-03', until: '2025-04-24' });
    expect(source.posts[0].schedule).toMatchObject({ date: '2025-03-10' });
  });
  it('never shows negative places left', () => {
    expect(placesLeft({ capacity: 5, claimed: 7 })).toBe(0);
    expect(placesLeft({ capacity: 5, claimed: 2 })).toBe(3);
  });
});

describe('compose form schedules', () => {
  const form = {
    kind: 'weekly' as const,
    date: '2025-03-10',
    weekdays: [3, 1, 1],
    from: '2025-03-01',
    until: '2025-03-31',
    start: '09:00',
    end: '11:30',
  };

  it('builds a weekly schedule with sorted, unique weekdays that the schema accepts', () => {
    const schedule = scheduleFromForm(form);
    expect(schedule).toEqual({
      kind: 'weekly',
      weekdays: [1, 3],
      start: 540,
      end: 690,
      from: '2025-03-01',
      until: '2025-03-31',
    });
    expect(v.safeParse(scheduleSchema, schedule).success).toBe(true);
    expect(occurrences(schedule)).toHaveLength(9);
    expect(describeSchedule(schedule)).toBe('每周一、三 09:00–11:30（03-01 至 03-31）');
  });

  it('builds a one-off schedule from the date alone', () => {
    expect(scheduleFromForm({ ...form, kind: 'once' })).toEqual({
      kind: 'once',
      date: '2025-03-10',
      start: 540,
      end: 690,
    });
  });

  it('leaves malformed input for the schema to name', () => {
    const noDays = v.safeParse(scheduleSchema, scheduleFromForm({ ...form, weekdays: [] }));
    expect(noDays.success ? null : noDays.issues[0].message).toBe('请选择每周哪几天');
    const badTime = v.safeParse(scheduleSchema, scheduleFromForm({ ...form, start: '9点' }));
    expect(badTime.success).toBe(false);
    const backwards = v.safeParse(
      scheduleSchema,
      scheduleFromForm({ ...form, from: '2025-03-31', until: '2025-03-01' }),
    );
    expect(backwards.success).toBe(false);
  });
});

describe('copy period', () => {
  it('keeps the length of the source period', () => {
    expect(
      copiedPeriod({ periodFrom: '2025-03-01', periodUntil: '2025-03-14' }, '2025-04-07'),
    ).toEqual({ periodFrom: '2025-04-07', periodUntil: '2025-04-20' });
  });

  it('suggests the day after the source ends, never a day in the past', () => {
    expect(nextPeriodFrom({ periodUntil: '2025-03-14' }, '2025-03-10')).toBe('2025-03-15');
    expect(nextPeriodFrom({ periodUntil: '2025-03-14' }, '2025-05-01')).toBe('2025-05-01');
  });
});

describe('browseCategories', () => {
  it('merges categories of several lists by name, keeping every id', () => {
    const merged = browseCategories([
      {
        categories: [
          { id: 'a1', name: '关爱老人' },
          { id: 'a2', name: '应急处突' },
        ],
      },
      {
        categories: [
          { id: 'b1', name: '关爱老人' },
          { id: 'b2', name: '健康服务' },
        ],
      },
    ]);
    expect(merged).toEqual([
      { name: '关爱老人', ids: ['a1', 'b1'] },
      { name: '应急处突', ids: ['a2'] },
      { name: '健康服务', ids: ['b2'] },
    ]);
    expect(browseCategories([])).toEqual([]);
  });
});
