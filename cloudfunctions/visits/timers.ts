import { dueReminder, flagNeedsReraise, reraiseCutoff } from '../../src/domain/visits/flags';
import { shanghaiDate } from '../../src/domain/shared/time';
import type { TimerContext } from '../_shared';
import { elderStatus } from './docs';
import { activeElders } from './store/elders';
import { flagsToReraise, markReraised } from './store/flags';
import { raiseFlag, recordReminder, remindPaired } from './store/notify';
import { loadCadence } from './store/settings';

/** Every tick: open flags not acknowledged within the cadence's hours are raised again. */
export async function reraiseFlags(
  ctx: Pick<TimerContext, 'db' | 'now'>,
): Promise<{ reraised: number; notified: number }> {
  const { db, now } = ctx;
  const cadence = await loadCadence(db);
  const due = await flagsToReraise(db, reraiseCutoff(now, cadence));
  let reraised = 0;
  let notified = 0;
  for (const flag of due) {
    if (!flagNeedsReraise(flag, now, cadence)) continue;
    if (!(await markReraised(db, flag, now))) continue;
    reraised++;
    const reach = await raiseFlag(
      db,
      { ...flag, lastRaisedAt: now, raiseCount: flag.raiseCount + 1 },
      now,
    );
    notified += reach.messaged.length;
  }
  return { reraised, notified };
}

/** Daily: remind paired volunteers of elders due within a day or overdue, once per elder per day. */
export async function remindDue(
  ctx: Pick<TimerContext, 'db' | 'now'>,
): Promise<{ checked: number; due: number; overdue: number; reminded: number }> {
  const { db, now } = ctx;
  const cadence = await loadCadence(db);
  const elders = await activeElders(db);
  const date = shanghaiDate(now);
  const tally = { checked: elders.length, due: 0, overdue: 0, reminded: 0 };
  for (const elder of elders) {
    const status = elderStatus(elder, now, cadence);
    const reminder = dueReminder(status);
    if (!reminder) continue;
    tally[reminder]++;
    if (elder.pairedOpenids.length === 0) continue;
    if (!(await recordReminder(db, elder, date, now))) continue;
    tally.reminded += await remindPaired(elder, status);
  }
  return tally;
}
