import type { ImportOutcome } from '../../src/domain/contract/circle';
import type { CirclePlace } from '../../src/domain/circle/place';
import { rid } from './fixtures';
import { interleaveDatabaseRequests } from '../_test-support/interleave';
import { startTwoServers, type Answer, type TwoServers } from '../_test-support/two-servers';
import { COLLECTIONS } from '../_shared/collections';

interleaveDatabaseRequests();

/**
 * Places added, removed and imported once per request id: copies of one request racing over two
 * server processes on one data file record it once and answer alike; a retry answers what was
 * recorded; a new request is a new change (or its refusal); refused input writes nothing.
 */

const SECRETARY = 'secretary-place-saves';
const COPIES = 5;
const AT = { latitude: 30.5906, longitude: 104.1286 };

let cloud: TwoServers;

const call = <T>(action: string, input: unknown, via?: string): Promise<Answer<T>> =>
  cloud.call<T>(SECRETARY, 'circle', action, input, via);

/** `COPIES` copies of one request at once, alternating between the two processes. */
function copies<T>(action: string, input: unknown): Promise<Array<Answer<T>>> {
  return Promise.all(
    Array.from({ length: COPIES }, (_, i) =>
      call<T>(action, input, i % 2 ? cloud.other.url : undefined),
    ),
  );
}

const db = () => cloud.db();
async function count(collection: string, condition: Record<string, unknown> = {}): Promise<number> {
  return (await db().collection(collection).where(condition).count()).total;
}
/** Every document of the collections these actions write: what a refusal must leave as it was. */
async function snapshot(): Promise<string> {
  const out: unknown[] = [];
  for (const name of [COLLECTIONS.circlePlaces, 'audit']) {
    const { data } = await db().collection(name).orderBy('_id', 'asc').limit(100).get();
    out.push(name, (await db().collection(name).count()).total, data);
  }
  return JSON.stringify(out);
}

const aPlace = (name: string) => ({ name, category: 'convenience-store', location: AT });

beforeAll(async () => {
  cloud = await startTwoServers({ name: 'place-saves', secretaries: SECRETARY });
  await cloud.signIn(SECRETARY);
}, 120_000);

afterAll(async () => {
  await cloud?.close();
});

describe('addPlace', () => {
  it(`adds one place for ${COPIES} copies of one submission over two processes, 5 times over`, async () => {
    for (const name of ['甲便利店', '乙便利店', '丙便利店', '丁便利店', '戊便利店']) {
      const answers = await copies<CirclePlace>('addPlace', {
        ...aPlace(name),
        clientRequestId: rid(),
      });
      expect(answers.map((a) => a.code ?? 'ok')).toEqual(answers.map(() => 'ok'));
      expect(new Set(answers.map((a) => a.data?.id)).size).toBe(1);
      const stored = (
        await db().collection(COLLECTIONS.circlePlaces).where({ name }).limit(100).get()
      ).data;
      expect(stored.map((p) => p._id)).toEqual([answers[0].data?.id]);
    }
  }, 60_000);

  it('answers a later retry with the place as it is now, and adds a second place for a new request', async () => {
    const clientRequestId = rid();
    const first = await call<CirclePlace>('addPlace', { ...aPlace('己便利店'), clientRequestId });
    expect(
      (
        await call('updatePlace', {
          id: first.data!.id,
          place: aPlace('己便利店（改）'),
          clientRequestId: rid(),
        })
      ).ok,
    ).toBe(true);
    const retry = await call<CirclePlace>(
      'addPlace',
      { ...aPlace('己便利店'), clientRequestId },
      cloud.other.url,
    );
    expect(retry).toMatchObject({ ok: true, data: { id: first.data!.id, name: '己便利店（改）' } });
    expect(await count(COLLECTIONS.circlePlaces, { name: '己便利店' })).toBe(0);
    expect((await call('addPlace', { ...aPlace('己便利店'), clientRequestId: rid() })).ok).toBe(
      true,
    );
    expect(await count(COLLECTIONS.circlePlaces, { name: '己便利店' })).toBe(1);
  });

  it.each([
    ['without a request id', aPlace('庚便利店')],
    ['with a malformed request id', { ...aPlace('庚便利店'), clientRequestId: 'x' }],
    ['with a bad draft', { ...aPlace(''), clientRequestId: rid() }],
  ])('refuses a place %s and writes nothing', async (_label, input) => {
    const before = await snapshot();
    expect(await call('addPlace', input)).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
    expect(await snapshot()).toBe(before);
  });
});

describe('updatePlace', () => {
  it(`changes a place for ${COPIES} copies of one request; a later retry does not undo a later change`, async () => {
    const added = await call<CirclePlace>('addPlace', {
      ...aPlace('庚便利店'),
      clientRequestId: rid(),
    });
    const id = added.data!.id;
    const change = {
      id,
      place: { ...aPlace('庚便利店'), phone: '028-12345678' },
      clientRequestId: rid(),
    };
    const answers = await copies<CirclePlace>('updatePlace', change);
    expect(answers.map((a) => a.code ?? 'ok')).toEqual(answers.map(() => 'ok'));
    expect(answers.every((a) => a.data?.phone === '028-12345678')).toBe(true);
    expect(
      (
        await call('updatePlace', {
          id,
          place: { ...aPlace('庚便利店'), phone: '028-87654321' },
          clientRequestId: rid(),
        })
      ).ok,
    ).toBe(true);
    const before = await snapshot();
    expect(await call<CirclePlace>('updatePlace', change, cloud.other.url)).toMatchObject({
      ok: true,
      data: { id, phone: '028-87654321' },
    });
    expect(await snapshot()).toBe(before);
  }, 30_000);

  it('refuses a change to a place that is not there, and one without a request id, writing nothing', async () => {
    const before = await snapshot();
    expect(
      await call('updatePlace', {
        id: 'no-such-place',
        place: aPlace('无'),
        clientRequestId: rid(),
      }),
    ).toMatchObject({ ok: false, code: 'PLACE_NOT_FOUND' });
    expect(await call('updatePlace', { id: 'no-such-place', place: aPlace('无') })).toMatchObject({
      ok: false,
      code: 'INVALID_INPUT',
    });
    expect(await snapshot()).toBe(before);
  });
});

describe('removePlace', () => {
  it(`removes once for ${COPIES} copies of one request, all answering the removal; a later retry too`, async () => {
    const added = await call<CirclePlace>('addPlace', {
      ...aPlace('辛便利店'),
      clientRequestId: rid(),
    });
    const id = added.data!.id;
    const input = { id, clientRequestId: rid() };
    const answers = await copies<{ id: string }>('removePlace', input);
    expect(answers).toEqual(answers.map(() => ({ ok: true, data: { id } })));
    expect(await count(COLLECTIONS.circlePlaces, { _id: id })).toBe(0);
    expect(await count('audit', { kind: 'place-removed', placeId: id })).toBe(1);
    expect(await call('removePlace', input, cloud.other.url)).toEqual({ ok: true, data: { id } });
    expect(await count('audit', { kind: 'place-removed', placeId: id })).toBe(1);
  }, 30_000);

  it('refuses a new request to remove a place that is gone, and one never there, writing nothing', async () => {
    const added = await call<CirclePlace>('addPlace', {
      ...aPlace('壬便利店'),
      clientRequestId: rid(),
    });
    expect((await call('removePlace', { id: added.data!.id, clientRequestId: rid() })).ok).toBe(
      true,
    );
    const before = await snapshot();
    expect(await call('removePlace', { id: added.data!.id, clientRequestId: rid() })).toMatchObject(
      {
        ok: false,
        code: 'PLACE_NOT_FOUND',
      },
    );
    expect(
      await call('removePlace', { id: 'no-such-place', clientRequestId: rid() }, cloud.other.url),
    ).toMatchObject({ ok: false, code: 'PLACE_NOT_FOUND' });
    expect(await call('removePlace', { id: 'no-such-place' })).toMatchObject({
      ok: false,
      code: 'INVALID_INPUT',
    });
    expect(await snapshot()).toBe(before);
  });
});

describe('importPlaces', () => {
  /** 150 rows: two insert batches. */
  const csv = (tag: string, rows = 150) =>
    [
      '名称,类别,纬度,经度',
      ...Array.from(
        { length: rows },
        (_, i) => `${tag}${i},convenience-store,${(30.58 + i / 10_000).toFixed(5)},104.12`,
      ),
    ].join('\n');
  const regExp = (regexp: string) =>
    (db() as unknown as { RegExp(o: { regexp: string }): unknown }).RegExp({ regexp });
  const imported = async (tag: string) =>
    (
      await db()
        .collection(COLLECTIONS.circlePlaces)
        .where({ name: regExp(`^${tag}\\d+$`) } as never)
        .count()
    ).total;

  it(`writes one set of places for ${COPIES} copies of one import over two processes; a later retry writes none`, async () => {
    const input = { format: 'csv', text: csv('癸店'), clientRequestId: rid() };
    const answers = await copies<ImportOutcome>('importPlaces', input);
    expect(answers.map((a) => a.code ?? 'ok')).toEqual(answers.map(() => 'ok'));
    expect(answers.map((a) => a.data?.written)).toEqual(answers.map(() => 150));
    expect(await imported('癸店')).toBe(150);
    expect((await call<ImportOutcome>('importPlaces', input, cloud.other.url)).data?.written).toBe(
      150,
    );
    expect(await imported('癸店')).toBe(150);
    expect((await call('importPlaces', { ...input, clientRequestId: rid() })).ok).toBe(true);
    expect(await imported('癸店')).toBe(300);
  }, 60_000);

  it.each([
    [
      'a rejected row',
      {
        format: 'csv',
        text: `${csv('子店', 3)}\n坏行,convenience-store,abc,104.12`,
        clientRequestId: rid(),
      },
      'IMPORT_ROWS_REJECTED',
    ],
    ['no request id', { format: 'csv', text: csv('丑店', 3) }, 'INVALID_INPUT'],
  ])('refuses an import with %s and writes nothing', async (_label, input, code) => {
    const before = await snapshot();
    expect(await call('importPlaces', input)).toMatchObject({ ok: false, code });
    expect(await snapshot()).toBe(before);
  });
});
