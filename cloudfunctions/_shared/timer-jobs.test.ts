import fs from 'node:fs';
import path from 'node:path';
import { shanghaiInstant } from '../../src/domain/shared/time';
import { startTestCloud, type TestCloud } from '../_test-support/host';
import { visitsTimers } from '../visits/index';
import { volunteerTimers } from '../volunteer/index';
import {
  TIMER_RUNS_COLLECTION,
  type TimerJob,
  type TimerSchedule,
  defineTimerSchedule,
  runTimerJobs,
  tickSlotMinute,
  triggerConfig,
} from './timer-jobs';

/** An instant given as Asia/Shanghai wall-clock time. */
const sh = (date: string, hhmm: string) => {
  const [h, m] = hhmm.split(':').map(Number);
  return shanghaiInstant(date, h * 60 + m);
};

function recordingJob(cadence: TimerJob['cadence'], runs: Date[], fail?: () => boolean): TimerJob {
  return {
    cadence,
    async run({ now }) {
      if (fail?.()) throw new Error('job failed on purpose');
      runs.push(now);
      return { runs: runs.length };
    },
  };
}

describe('the one config.json trigger of each function', () => {
  const configOf = (fn: string) =>
    JSON.parse(fs.readFileSync(path.join(__dirname, '..', fn, 'config.json'), 'utf8')) as {
      triggers?: unknown[];
    };

  it.each([
    ['visits', visitsTimers],
    ['volunteer', volunteerTimers],
  ])('%s declares exactly the trigger its job schedule fires on', (fn, schedule) => {
    expect(configOf(fn).triggers).toEqual([triggerConfig(schedule)]);
  });

  it('fires visits every 30 minutes and volunteer every 10, at second 0', () => {
    expect(triggerConfig(visitsTimers)).toEqual({
      name: 'jobs',
      type: 'timer',
      config: '0 */30 * * * * *',
    });
    expect(triggerConfig(volunteerTimers)).toEqual({
      name: 'jobs',
      type: 'timer',
      config: '0 */10 * * * * *',
    });
  });
});

describe('defineTimerSchedule', () => {
  const job = (cadence: TimerJob['cadence']): TimerJob => ({ cadence, run: async () => ({}) });
  const schedule = (
    everyMinutes: number,
    jobs: Record<string, TimerJob>,
    name = 'jobs',
  ): TimerSchedule => ({
    functionName: 'fn',
    trigger: { name, everyMinutes },
    jobs,
  });

  it.each([
    [schedule(7, { a: job({ every: 7 }) }), /dividing 60/],
    [schedule(10, { a: job({ every: 15 }) }), /multiple of the 10-minute trigger/],
    [schedule(10, { a: job({ every: 70 }) }), /divides a day/],
    [schedule(10, { a: job({ dailyAt: '24:00' }) }), /HH:mm/],
    [schedule(10, { a: job({ dailyAt: '1:00' }) }), /HH:mm/],
    [schedule(10, {}), /no jobs/],
    [schedule(10, { a: job({ every: 10 }) }, '9lives'), /start with a letter/],
  ])('refuses a bad schedule (%#)', (s, message) => {
    expect(() => defineTimerSchedule(s)).toThrow(message);
  });

  it('reads the tick on the Shanghai clock, floored to the trigger period, whatever the host zone', () => {
    const s = schedule(30, { a: job({ every: 30 }) });
    // 17:00:05 UTC is 01:00:05 the next day in Shanghai; a trigger a few seconds late keeps its slot.
    expect(tickSlotMinute(s, new Date('2026-03-01T17:00:05Z'))).toBe(60);
    expect(tickSlotMinute(s, new Date('2026-03-01T17:29:59Z'))).toBe(60);
    expect(tickSlotMinute(s, new Date('2026-03-01T17:30:00Z'))).toBe(90);
  });
});

describe('runTimerJobs (through the local store)', () => {
  let cloud: TestCloud;
  beforeEach(() => {
    cloud = startTestCloud();
  });
  afterEach(() => cloud.close());

  it('runs a periodic job on its own grid of the trigger ticks', async () => {
    const runs: Date[] = [];
    const s = defineTimerSchedule({
      functionName: 'fn',
      trigger: { name: 'jobs', everyMinutes: 10 },
      jobs: {
        everyTick: recordingJob({ every: 10 }, []),
        halfHourly: recordingJob({ every: 30 }, runs),
      },
    });
    const ran: string[] = [];
    for (const hhmm of ['09:00', '09:10', '09:20', '09:30', '09:40']) {
      const report = await runTimerJobs(s, cloud.db, sh('2026-03-02', hhmm));
      expect(report.ran).toHaveProperty('everyTick');
      if ('halfHourly' in report.ran) ran.push(hhmm);
    }
    expect(ran).toEqual(['09:00', '09:30']);
    // Periodic jobs keep no record.
    expect(await cloud.count(TIMER_RUNS_COLLECTION)).toBe(0);
  });

  it('runs a daily job on the first tick at or after its hour, once a day, and catches up a missed tick', async () => {
    const runs: Date[] = [];
    const s = defineTimerSchedule({
      functionName: 'fn',
      trigger: { name: 'jobs', everyMinutes: 30 },
      jobs: { nightly: recordingJob({ dailyAt: '01:00' }, runs) },
    });
    const tick = async (date: string, hhmm: string) => runTimerJobs(s, cloud.db, sh(date, hhmm));

    expect(await tick('2026-03-02', '00:30')).toMatchObject({ ran: {}, notDue: ['nightly'] });
    // The 01:00 tick was missed: the 01:30 tick runs it, later ticks that day do not.
    expect(await tick('2026-03-02', '01:30')).toMatchObject({
      ran: { nightly: { runs: 1 } },
      notDue: [],
    });
    expect(await tick('2026-03-02', '02:00')).toMatchObject({ ran: {}, notDue: ['nightly'] });
    expect(await tick('2026-03-02', '23:30')).toMatchObject({ ran: {}, notDue: ['nightly'] });
    // The next Shanghai day (which starts at 16:00 UTC) runs it again at 01:00.
    expect(await tick('2026-03-03', '00:30')).toMatchObject({ notDue: ['nightly'] });
    expect(await tick('2026-03-03', '01:00')).toMatchObject({ ran: { nightly: { runs: 2 } } });
    expect(runs).toEqual([sh('2026-03-02', '01:30'), sh('2026-03-03', '01:00')]);
    expect(await cloud.all(TIMER_RUNS_COLLECTION)).toEqual([
      expect.objectContaining({
        _id: 'fn.nightly',
        functionName: 'fn',
        job: 'nightly',
        date: '2026-03-03',
      }),
    ]);
  });

  it('retries a failed daily job on the next tick and keeps running the other jobs', async () => {
    const daily: Date[] = [];
    const sweeps: Date[] = [];
    let failNext = true;
    const logged = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const s = defineTimerSchedule({
        functionName: 'fn',
        trigger: { name: 'jobs', everyMinutes: 30 },
        jobs: {
          nightly: recordingJob({ dailyAt: '01:00' }, daily, () => {
            const fail = failNext;
            failNext = false;
            return fail;
          }),
          sweep: recordingJob({ every: 30 }, sweeps),
        },
      });
      expect(await runTimerJobs(s, cloud.db, sh('2026-03-02', '01:00'))).toMatchObject({
        ran: { sweep: {} },
        failed: ['nightly'],
      });
      expect(logged).toHaveBeenCalledWith('[fn] timer job nightly failed', expect.any(Error));
      expect(await cloud.count(TIMER_RUNS_COLLECTION)).toBe(0);
      expect(await runTimerJobs(s, cloud.db, sh('2026-03-02', '01:30'))).toMatchObject({
        ran: { nightly: {}, sweep: {} },
        failed: [],
      });
      expect(sweeps).toHaveLength(2);
    } finally {
      logged.mockRestore();
    }
  });

  it('answers a trigger through the function host with the tick report', async () => {
    const at = sh('2026-03-02', '00:00');
    const answer = await cloud.host.fireTimer('volunteer', 'jobs', at);
    expect(answer).toEqual({
      ok: true,
      data: {
        at: at.toISOString(),
        ran: {
          autoCloseServices: { closed: 0 },
          recountPlaces: { checked: 0, corrected: 0, released: 0 },
        },
        notDue: [],
        failed: [],
      },
    });
    await expect(cloud.host.fireTimer('volunteer', 'recountPlaces', at)).rejects.toThrow(
      /no timer trigger "recountPlaces"/,
    );
  });
});
