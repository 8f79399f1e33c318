import * as v from 'valibot';
import { flagNoticeText, grantsText, urgentBadge } from './urgent';
import { PURPOSE_VERSION, elderDraftSchema, maskAddress, maskPhone, fullAddress } from './elder';
import {
  VISIT_BACKDATE_DAYS,
  VISIT_SERVICE_TITLE,
  applyVisit,
  isVisitPost,
  newVisitId,
  visitDateRange,
  visitInstants,
  visitLogSchema,
  visitMinutes,
  visitTimeRefusal,
} from './visit-log';
import { shanghaiInstant } from '../shared/time';
import { flagNeedsReraise } from './flags';
import {
  discard,
  enqueue,
  markFailed,
  markSending,
  markSent,
  parseQueue,
  recover,
  retry,
  sendable,
} from './queue';

const aDraft = (o: Record<string, unknown> = {}) => ({
  name: '赵奶奶',
  age: 82,
  building: '3',
  unit: '2',
  room: '301',
  livingSituation: 'alone',
  riskLevel: 'high',
  phone: '13800002222',
  emergencyContacts: [{ name: '赵小明', relation: '儿子', phone: '13900003333' }],
  notes: '',
  consent: { version: PURPOSE_VERSION, by: 'elder' },
  ...o,
});
const aLog = (o: Record<string, unknown> = {}) => ({
  visitId: 'v-abcdefgh',
  elderId: 'elder_1',
  startAt: '2025-02-10T02:00:00.000Z',
  endAt: '2025-02-10T02:40:00.000Z',
  outcome: 'visited',
  checklist: { health: 'ok', mood: 'ok', homeSafety: 'concern', needs: 'ok' },
  ...o,
});

describe('roster entries', () => {
  it('accepts a complete entry and refuses one without consent or contacts', () => {
    expect(v.safeParse(elderDraftSchema, aDraft()).success).toBe(true);
    expect(
      v.safeParse(elderDraftSchema, aDraft({ consent: { version: 'old', by: 'elder' } })).success,
    ).toBe(false);
    expect(v.safeParse(elderDraftSchema, aDraft({ emergencyContacts: [] })).success).toBe(false);
    expect(v.safeParse(elderDraftSchema, aDraft({ age: 30 })).success).toBe(false);
    expect(v.safeParse(elderDraftSchema, aDraft({ phone: '12345' })).success).toBe(false);
    expect(v.safeParse(elderDraftSchema, aDraft({ riskLevel: 'extreme' })).success).toBe(false);
    expect(v.safeParse(elderDraftSchema, aDraft({ extra: 1 })).success).toBe(false);
  });
  it('masks phone and address for lists', () => {
    expect(maskPhone('13800002222')).toBe('138****2222');
    expect(maskPhone('028-12345678')).toBe('028****5678');
    expect(maskPhone('')).toBe('');
    expect(maskAddress({ building: '3', unit: '2', room: '301' })).toBe('3栋**');
    expect(fullAddress({ building: '3', unit: '2', room: '301' })).toBe('3栋2单元301室');
    // Typed with the suffix (8栋, 2单元, 301室): shown once, never "8栋栋**".
    expect(maskAddress({ building: '8栋', unit: '2' })).toBe('8栋**');
    expect(fullAddress({ building: '8栋', unit: '2单元', room: '301室' })).toBe('8栋2单元301室');
  });
});

describe('visit logs', () => {
  it('validates times, outcome and the urgent note', () => {
    expect(v.safeParse(visitLogSchema, aLog()).success).toBe(true);
    expect(v.safeParse(visitLogSchema, aLog({ endAt: '2025-02-10T01:00:00.000Z' })).success).toBe(
      false,
    );
    expect(v.safeParse(visitLogSchema, aLog({ outcome: 'maybe' })).success).toBe(false);
    expect(v.safeParse(visitLogSchema, aLog({ urgent: true })).success).toBe(false);
    expect(v.safeParse(visitLogSchema, aLog({ urgent: true, urgentNote: '摔倒了' })).success).toBe(
      true,
    );
    expect(v.safeParse(visitLogSchema, aLog({ visitId: 'x' })).success).toBe(false);
    expect(v.safeParse(visitLogSchema, aLog({ startAt: 'yesterday' })).success).toBe(false);
  });
  it('refuses visits in the future or too old, and counts minutes', () => {
    const log = aLog();
    expect(visitTimeRefusal(log, new Date('2025-02-10T03:00:00Z'))).toBeNull();
    expect(visitTimeRefusal(log, new Date('2025-02-10T02:00:00Z'))).toBe('VISIT_IN_FUTURE');
    expect(visitTimeRefusal(log, new Date('2025-03-20T02:00:00Z'))).toBe('VISIT_TOO_OLD');
    expect(visitMinutes(log)).toBe(40);
  });
  it('accepts start = end (a knock at the door), refuses an end before the start', () => {
    expect(v.safeParse(visitLogSchema, aLog({ endAt: '2025-02-10T02:00:00.000Z' })).success).toBe(
      true,
    );
    const r = v.safeParse(visitLogSchema, aLog({ endAt: '2025-02-10T01:59:00.000Z' }));
    expect(r.success ? null : r.issues[0].message).toBe('结束时间不能早于开始时间');
  });
  it('dates a visit by the Shanghai day it started; an end before the start is after midnight', () => {
    expect(visitInstants('2025-03-01', 23 * 60, 23 * 60 + 40)).toEqual({
      startAt: '2025-03-01T15:00:00.000Z',
      endAt: '2025-03-01T15:40:00.000Z',
    });
    expect(visitInstants('2025-03-01', 23 * 60 + 40, 20)).toEqual({
      startAt: '2025-03-01T15:40:00.000Z',
      endAt: '2025-03-01T16:20:00.000Z',
    });
    // Month and year ends.
    expect(visitInstants('2025-12-31', 23 * 60 + 30, 10).endAt).toBe('2025-12-31T16:10:00.000Z');
  });
  it('at 00:30 Shanghai, a visit 23:00–23:40 the previous day is accepted when dated 昨天 and refused as future when dated 今天', () => {
    const now = shanghaiInstant('2025-03-02', 30); // 2025-03-01T16:30Z: still "yesterday" in UTC
    expect(visitDateRange(now)).toEqual({ earliest: '2025-02-23', latest: '2025-03-02' });
    expect(
      visitTimeRefusal(
        visitInstants('2025-03-01', 23 * 60, 23 * 60 + 40),
        now,
        VISIT_BACKDATE_DAYS,
      ),
    ).toBeNull();
    expect(
      visitTimeRefusal(
        visitInstants('2025-03-02', 23 * 60, 23 * 60 + 40),
        now,
        VISIT_BACKDATE_DAYS,
      ),
    ).toBe('VISIT_IN_FUTURE');
    // Across midnight, ending just now or within the clock skew: accepted; beyond it: future.
    expect(
      visitTimeRefusal(visitInstants('2025-03-01', 23 * 60 + 50, 30), now, VISIT_BACKDATE_DAYS),
    ).toBeNull();
    expect(
      visitTimeRefusal(visitInstants('2025-03-01', 23 * 60 + 50, 40), now, VISIT_BACKDATE_DAYS),
    ).toBeNull();
    expect(
      visitTimeRefusal(visitInstants('2025-03-01', 23 * 60 + 50, 41), now, VISIT_BACKDATE_DAYS),
    ).toBe('VISIT_IN_FUTURE');
  });
  it(`offers ${VISIT_BACKDATE_DAYS} days back on the form: from 00:00 Shanghai of the oldest date, counted in Shanghai days`, () => {
    const now = shanghaiInstant('2025-03-02', 30);
    expect(
      visitTimeRefusal(visitInstants('2025-02-23', 0, 30), now, VISIT_BACKDATE_DAYS),
    ).toBeNull();
    expect(
      visitTimeRefusal(
        { startAt: '2025-02-22T15:59:00.000Z', endAt: '2025-02-22T16:30:00.000Z' },
        now,
        VISIT_BACKDATE_DAYS,
      ),
    ).toBe('VISIT_TOO_OLD');
    expect(
      visitTimeRefusal(
        visitInstants('2025-02-22', 23 * 60, 23 * 60 + 30),
        now,
        VISIT_BACKDATE_DAYS,
      ),
    ).toBe('VISIT_TOO_OLD');
    // The function's limit for queued visits is longer.
    expect(visitTimeRefusal(visitInstants('2025-02-22', 23 * 60, 23 * 60 + 30), now)).toBeNull();
    expect(visitTimeRefusal(visitInstants('2025-01-31', 0, 30), now)).toBeNull();
    expect(visitTimeRefusal(visitInstants('2025-01-30', 23 * 60, 23 * 60 + 30), now)).toBe(
      'VISIT_TOO_OLD',
    );
    // The day turns at 00:00 Shanghai (16:00 UTC), not at UTC midnight.
    expect(
      visitTimeRefusal(
        visitInstants('2025-01-30', 23 * 60, 23 * 60 + 30),
        shanghaiInstant('2025-03-01', 23 * 60 + 59),
      ),
    ).toBeNull();
    expect(
      visitTimeRefusal(
        visitInstants('2025-01-30', 23 * 60, 23 * 60 + 30),
        shanghaiInstant('2025-03-02', 0),
      ),
    ).toBe('VISIT_TOO_OLD');
  });
  it('moves the elder summary forward only, whatever order visits arrive in', () => {
    const empty = {
      lastContactAt: null,
      notAtHomeAt: null,
      flaggedChangeAt: null,
      lastVisitAt: null,
      lastOutcome: null,
    };
    const late = applyVisit(empty, {
      endAt: new Date('2025-02-10T00:00:00Z'),
      outcome: 'visited',
      urgent: false,
    });
    const thenEarly = applyVisit(late, {
      endAt: new Date('2025-02-01T00:00:00Z'),
      outcome: 'not-at-home',
      urgent: true,
    });
    expect(thenEarly.lastContactAt?.toISOString()).toBe('2025-02-10T00:00:00.000Z');
    expect(thenEarly.lastOutcome).toBe('visited');
    expect(thenEarly.notAtHomeAt?.toISOString()).toBe('2025-02-01T00:00:00.000Z');
  });
  it('makes distinct ids', () => {
    const now = new Date('2025-02-10T00:00:00Z');
    expect(newVisitId(now)).not.toBe(newVisitId(now));
    expect(newVisitId(now)).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
  });
});

describe('urgent flags', () => {
  it('are raised again after the set time while open', () => {
    const raised = new Date('2025-02-10T00:00:00Z');
    expect(
      flagNeedsReraise(
        { status: 'open', lastRaisedAt: raised, raiseCount: 1 },
        new Date('2025-02-10T03:59:00Z'),
      ),
    ).toBe(false);
    expect(
      flagNeedsReraise(
        { status: 'open', lastRaisedAt: raised, raiseCount: 1 },
        new Date('2025-02-10T04:00:00Z'),
      ),
    ).toBe(true);
    expect(
      flagNeedsReraise(
        { status: 'acknowledged', lastRaisedAt: raised, raiseCount: 1 },
        new Date('2025-02-11T00:00:00Z'),
      ),
    ).toBe(false);
  });
});

describe('offline queue', () => {
  const now = new Date('2025-02-10T03:00:00Z');
  const item = (id: string) => ({
    visitId: id,
    elderName: '赵奶奶',
    input: aLog({ visitId: id }) as never,
  });
  it('keeps one entry per visit id and sends oldest first, never one in flight', () => {
    let q = enqueue([], item('v-00000001'), now);
    q = enqueue(q, item('v-00000001'), now);
    q = enqueue(q, item('v-00000002'), new Date(now.getTime() + 1000));
    expect(q).toHaveLength(2);
    q = markSending(q, 'v-00000001');
    expect(sendable(q).map((x) => x.visitId)).toEqual(['v-00000002']);
    q = markSent(q, 'v-00000001');
    expect(q.map((x) => x.visitId)).toEqual(['v-00000002']);
  });
  it('retries network failures, keeps refusals for the volunteer, recovers after restart', () => {
    let q = markSending(enqueue([], item('v-00000003'), now), 'v-00000003');
    q = markFailed(q, 'v-00000003', { code: 'NETWORK', message: 'x' });
    expect(q[0].state).toBe('waiting');
    q = markFailed(markSending(q, 'v-00000003'), 'v-00000003', {
      code: 'ELDER_NOT_FOUND',
      message: '没有',
    });
    expect(q[0]).toMatchObject({
      state: 'rejected',
      attempts: 2,
      lastError: { code: 'ELDER_NOT_FOUND' },
    });
    expect(retry(q, 'v-00000003')[0].state).toBe('waiting');
    expect(recover(markSending(retry(q, 'v-00000003'), 'v-00000003'))[0].state).toBe('waiting');
    expect(discard(q, 'v-00000003')).toEqual([]);
    expect(parseQueue('garbage')).toEqual([]);
    expect(parseQueue([{ visitId: 1 }, ...q])).toHaveLength(1);
  });
});

describe('visit posts', () => {
  it('are the posts whose title names visits or elder care', () => {
    expect(isVisitPost(VISIT_SERVICE_TITLE)).toBe(true);
    expect(isVisitPost('独居老人上门探访')).toBe(true);
    expect(isVisitPost('关爱老人读报')).toBe(true);
    expect(isVisitPost('社区花园浇水')).toBe(false);
    expect(isVisitPost('')).toBe(false);
  });
});

describe('who an urgent flag reached, as the volunteer reads it', () => {
  it('says when it reached nobody, so it never looks delivered', () => {
    expect(flagNoticeText({ secretaries: [], messaged: [] })).toContain('没有送达任何人');
  });
  it('names the secretaries with it in the app, and who also got a WeChat message', () => {
    expect(flagNoticeText({ secretaries: ['王*', '赵*'], messaged: [] })).toBe(
      '已送达 2 位社区书记的应用内待办（王*、赵*）；没有人开启微信提醒，书记打开应用时会看到',
    );
    expect(flagNoticeText({ secretaries: ['王*', '赵*'], messaged: ['赵*'] })).toContain(
      '其中 赵* 已收到微信提醒',
    );
    expect(flagNoticeText({ secretaries: ['王*'], messaged: ['王*'] })).toContain(
      '都已发送微信提醒',
    );
  });
  it('badges count open flags within the tab badge width, and the grant text says what is left', () => {
    expect(urgentBadge(0)).toBeNull();
    expect(urgentBadge(3)).toBe('3');
    expect(urgentBadge(120)).toBe('99+');
    expect(grantsText(2)).toBe('还可接收 2 条紧急情况的微信提醒');
    expect(grantsText(0)).toContain('只会显示在应用内');
  });
});
