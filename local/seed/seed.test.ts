import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { installLocalCloud, type LocalCloud } from '../cloud';
import { openState } from '../../src/domain/space/opening-hours';
import { SERVICE_CATEGORIES } from '../../src/domain/space/space';
import { hostDatabase, loadSdk, type Database } from '../runtime/sdk';
import { PERSONAS, SAMPLE_SERVICES, SAMPLE_SPACE } from './data';
import { isSeeded, seedOnce } from './seed';

let dataDir: string;
let cloud: LocalCloud;
let db: Database;

beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'linli-seed-'));
  cloud = installLocalCloud({ dataDir });
  db = hostDatabase(loadSdk());
});

afterEach(() => {
  cloud.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function total(collection: string): Promise<number> {
  return (await db.collection(collection).count()).total;
}

/** An instant given as Asia/Shanghai wall-clock text. */
function sh(text: string): Date {
  return new Date(`${text}+08:00`);
}

describe('sample data', () => {
  it('is marked as sample everywhere', () => {
    expect(SAMPLE_SPACE.sample).toBe(true);
    expect(SAMPLE_SPACE.name).toContain('（示例）');
    for (const s of SAMPLE_SERVICES) {
      expect(s.sample).toBe(true);
      expect(s.name).toContain('（示例）');
    }
    for (const p of Object.values(PERSONAS)) expect(p.nickname).toContain('（示例）');
  });

  it('has the nine services, one per category, with the stated hours', () => {
    expect(SAMPLE_SERVICES.map((s) => s.category).sort()).toEqual([...SERVICE_CATEGORIES].sort());
    const byCategory = Object.fromEntries(SAMPLE_SERVICES.map((s) => [s.category, s]));
    const monday1230 = sh('2025-03-03T12:30:00');
    const saturday1000 = sh('2025-03-08T10:00:00');
    const night = sh('2025-03-04T03:00:00');
    expect(openState(byCategory.gym.hours, night).kind).toBe('always');
    expect(openState(byCategory.laundry.hours, night).kind).toBe('always');
    expect(openState(byCategory.government.hours, monday1230)).toMatchObject({
      kind: 'closed',
      opensAt: 13 * 60 + 30,
    });
    expect(openState(byCategory.government.hours, saturday1000).kind).toBe('closed');
    expect(openState(byCategory['child-care'].hours, saturday1000).kind).toBe('closed');
    expect(openState(byCategory['elder-day-care'].hours, saturday1000)).toMatchObject({
      kind: 'open',
      closesAt: 17 * 60,
    });
    expect(openState(byCategory['living-room'].hours, sh('2025-03-03T20:45:00'))).toMatchObject({
      kind: 'open',
      closesSoon: true,
    });
    expect(byCategory.gym.bookingKind).toBe('capacity');
    expect(byCategory.government.bookingKind).toBe('appointment');
  });
});

describe('seedOnce', () => {
  it('seeds once and is a no-op the second time', async () => {
    expect(await isSeeded(db)).toBe(false);
    const first = await seedOnce(db);
    expect(first.seeded).toBe(true);
    // Space, services and personas; other sample sets may add more.
    expect(first.inserted).toBeGreaterThanOrEqual(1 + SAMPLE_SERVICES.length + 3);
    expect(await seedOnce(db)).toEqual({ seeded: false, inserted: 0 });
    expect(await total('spaces')).toBe(1);
    expect(await total('services')).toBe(SAMPLE_SERVICES.length);
    expect(await total('users')).toBe(3);
    const volunteer = (await db.collection('users').doc(PERSONAS.volunteer.openid).get()).data;
    expect(volunteer).toMatchObject({
      _openid: PERSONAS.volunteer.openid,
      role: 'volunteer',
      sample: true,
    });
  });

  it('leaves one copy when two seeders race', async () => {
    await Promise.all([seedOnce(db), seedOnce(db), seedOnce(db)]);
    expect(await total('services')).toBe(SAMPLE_SERVICES.length);
    expect(await total('meta')).toBe(1);
  });

  it('keeps changes people made, and reseeds after a reset', async () => {
    await seedOnce(db);
    await db
      .collection('spaces')
      .doc('r29')
      .update({ data: { intro: '改过的介绍' } });
    await seedOnce(db);
    expect((await db.collection('spaces').doc('r29').get()).data?.intro).toBe('改过的介绍');
    cloud.reset();
    expect(await isSeeded(db)).toBe(false);
    expect((await seedOnce(db)).seeded).toBe(true);
    expect((await db.collection('spaces').doc('r29').get()).data?.intro).toBe(SAMPLE_SPACE.intro);
  });

  it('adds sample sets that an older data dir lacks, keeping what is there', async () => {
    await seedOnce(db);
    const places = await total('circle_places');
    expect(places).toBeGreaterThan(0);
    // A data dir seeded by version 1 had no life-circle places and an edited space.
    await db.collection('circle_places').where({ sample: true }).remove();
    await db
      .collection('spaces')
      .doc('r29')
      .update({ data: { intro: '书记改过的介绍' } });
    await db
      .collection('meta')
      .doc('seed')
      .update({ data: { version: 1 } });
    expect(await isSeeded(db)).toBe(false);
    const report = await seedOnce(db);
    expect(report.seeded).toBe(true);
    expect(report.inserted).toBe(places);
    expect(await total('circle_places')).toBe(places);
    expect((await db.collection('spaces').doc('r29').get()).data?.intro).toBe('书记改过的介绍');
    expect(await isSeeded(db)).toBe(true);
  });
});
