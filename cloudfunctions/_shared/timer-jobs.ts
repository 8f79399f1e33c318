import { parseMinuteOfDay, shanghaiDate, shanghaiMinuteOfDay } from '../../src/domain/shared/time';
import { COLLECTIONS } from './collections';
import type { Database, StoredDoc } from './db';
import { type TimerContext, type TimerHandler, timerClock } from './router';

/**
 * Several timed jobs behind one timer trigger. WeChat allows a cloud function ONE timer trigger
 * (定时触发器: "triggers 字段是触发器数组，目前仅支持一个触发器"), so a function lists its jobs here,
 * each with its own cadence, and declares a single trigger in config.json that fires every
 * `trigger.everyMinutes` minutes (`triggerConfig(schedule)` is that entry, checked by a test).
 *
 * On each tick — at the trigger's time from the event (`Time`, UTC), else the invocation's clock,
 * read on the Asia/Shanghai wall clock without ever consulting the process time zone — the jobs
 * whose time has come run one after another, in the order listed:
 *
 * - `{ every: n }` (minutes; a multiple of the trigger period that divides a day): runs when the
 *   tick's slot (its Shanghai time floored to the trigger period) lies on the job's n-minute grid
 *   counted from 00:00. Such jobs sweep the current state (expire, close, recount), so a missed
 *   tick is made good by the next slot of the job; nothing is recorded.
 * - `{ dailyAt: 'HH:mm' }` (Asia/Shanghai): runs on the first tick at or after that time on each
 *   Shanghai calendar day until one run succeeds; the date of that success is then written to
 *   `timer_runs` (`_id` "<function>.<job>"). A missed tick, a failed run or a deploy after the hour
 *   only moves the run to the next tick of the same day. The record is written after the job, so
 *   a run cut short between the two, or two overlapping ticks, run the job twice on the same day:
 *   a daily job must itself be idempotent by date (e.g. one reminder per elder per day, keyed by
 *   the date).
 *
 * A job that throws is logged and listed under `failed`; the other jobs still run, and a failed
 * daily job is tried again on the next tick.
 */

/** Records of daily job runs; declared in cloudfunctions/database/indexes.json. */
export const TIMER_RUNS_COLLECTION = COLLECTIONS.timerRuns;

export interface TimerRunDoc extends StoredDoc {
  /** "<function>.<job>" */
  _id: string;
  functionName: string;
  job: string;
  /** Asia/Shanghai calendar date (YYYY-MM-DD) of the last successful run. */
  date: string;
  /** The tick that ran it. */
  at: Date;
}

export type JobCadence = { every: number } | { dailyAt: string };

export interface TimerJobContext {
  db: Database;
  /** The tick's time (the trigger's time when the event states it). */
  now: Date;
}

export interface TimerJob {
  cadence: JobCadence;
  run(ctx: TimerJobContext): Promise<object>;
}

export interface TimerSchedule {
  /** The deployed function, for the run records and logs. */
  functionName: string;
  /** The function's one timer trigger: its config.json name and period (minutes, dividing 60). */
  trigger: { name: string; everyMinutes: number };
  /** Jobs by name, run in this order. */
  jobs: Record<string, TimerJob>;
}

export interface TickReport {
  /** The tick's time, ISO (UTC). */
  at: string;
  /** Each job that ran, with what it reports. */
  ran: Record<string, object>;
  /** Jobs whose time had not come (or, daily, had already run today). */
  notDue: string[];
  /** Jobs that threw (logged). */
  failed: string[];
}

const TRIGGER_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,59}$/;
const MINUTES_PER_DAY = 1440;

/** Check a schedule once, where it is defined; throws naming what is wrong. */
export function defineTimerSchedule(schedule: TimerSchedule): TimerSchedule {
  const where = `${schedule.functionName} timer schedule`;
  const { name, everyMinutes: period } = schedule.trigger;
  if (!TRIGGER_NAME.test(name))
    throw new Error(
      `${where}: trigger name "${name}" must start with a letter (a-z, A-Z, 0-9, - and _, at most 60)`,
    );
  if (!Number.isInteger(period) || period < 1 || 60 % period !== 0) {
    throw new Error(
      `${where}: trigger period ${period} must be a whole number of minutes dividing 60`,
    );
  }
  const names = Object.keys(schedule.jobs);
  if (names.length === 0) throw new Error(`${where}: no jobs`);
  for (const job of names) {
    const cadence = schedule.jobs[job].cadence;
    if ('every' in cadence) {
      const n = cadence.every;
      if (!Number.isInteger(n) || n % period !== 0 || MINUTES_PER_DAY % n !== 0) {
        throw new Error(
          `${where}: job ${job} every ${n} min must be a multiple of the ${period}-minute trigger that divides a day`,
        );
      }
    } else {
      const minute = parseMinuteOfDay(cadence.dailyAt);
      if (minute === null || minute >= MINUTES_PER_DAY)
        throw new Error(
          `${where}: job ${job} dailyAt "${cadence.dailyAt}" must be HH:mm (00:00–23:59)`,
        );
    }
  }
  return schedule;
}

/** The one config.json trigger entry for the schedule: second 0 of every `everyMinutes` minutes. */
export function triggerConfig(schedule: TimerSchedule): {
  name: string;
  type: 'timer';
  config: string;
} {
  const n = schedule.trigger.everyMinutes;
  const minute = n === 60 ? '0' : `*/${n}`;
  return { name: schedule.trigger.name, type: 'timer', config: `0 ${minute} * * * * *` };
}

/** Minutes from 00:00 Asia/Shanghai of the tick's slot: its time floored to the trigger period. */
export function tickSlotMinute(schedule: TimerSchedule, at: Date): number {
  const n = schedule.trigger.everyMinutes;
  return Math.floor(shanghaiMinuteOfDay(at) / n) * n;
}

function runId(schedule: TimerSchedule, job: string): string {
  return `${schedule.functionName}.${job}`;
}

/** Daily jobs whose hour has come today; the others are not due at this tick. */
function dailyJobsPastTheirHour(schedule: TimerSchedule, at: Date): string[] {
  const slot = tickSlotMinute(schedule, at);
  return Object.entries(schedule.jobs)
    .filter(
      ([, j]) => 'dailyAt' in j.cadence && slot >= (parseMinuteOfDay(j.cadence.dailyAt) as number),
    )
    .map(([name]) => name);
}

/** Run every job whose time has come at `at` (see the module comment). */
export async function runTimerJobs(
  schedule: TimerSchedule,
  db: Database,
  at: Date,
): Promise<TickReport> {
  const today = shanghaiDate(at);
  const slot = tickSlotMinute(schedule, at);
  const report: TickReport = { at: at.toISOString(), ran: {}, notDue: [], failed: [] };

  const daily = dailyJobsPastTheirHour(schedule, at);
  const doneToday = new Set<string>();
  if (daily.length > 0) {
    const _ = db.command;
    const { data } = await db
      .collection<TimerRunDoc>(TIMER_RUNS_COLLECTION)
      .where({ _id: _.in(daily.map((job) => runId(schedule, job))) })
      .limit(100)
      .get();
    for (const doc of data) if (doc.date === today) doneToday.add(doc.job);
  }

  for (const [name, job] of Object.entries(schedule.jobs)) {
    const due =
      'every' in job.cadence
        ? slot % job.cadence.every === 0
        : daily.includes(name) && !doneToday.has(name);
    if (!due) {
      report.notDue.push(name);
      continue;
    }
    try {
      report.ran[name] = await job.run({ db, now: at });
    } catch (error) {
      console.error(`[${schedule.functionName}] timer job ${name} failed`, error);
      report.failed.push(name);
      continue;
    }
    if ('dailyAt' in job.cadence) {
      await db
        .collection<TimerRunDoc>(TIMER_RUNS_COLLECTION)
        .doc(runId(schedule, name))
        .set({ data: { functionName: schedule.functionName, job: name, date: today, at } });
    }
  }
  return report;
}

/** The router's `timers` entry for the schedule's one trigger. */
export function timerJobsHandler(schedule: TimerSchedule): Record<string, TimerHandler> {
  const handler: TimerHandler = async (ctx: TimerContext) => {
    const report = await runTimerJobs(schedule, ctx.db, timerClock(ctx));
    return { ...report };
  };
  return { [schedule.trigger.name]: handler };
}
