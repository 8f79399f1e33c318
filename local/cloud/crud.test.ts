/** CRUD, operators and production limits, through the real wx-server-sdk. */
import { freshCloud, sdkError, type Doc, type Fixture } from './test-support/fixture';

let f: Fixture;
beforeEach(() => {
  f = freshCloud();
});
afterEach(() => f.cleanup());

async function seedItems(n: number, extra: (i: number) => Doc = () => ({})): Promise<void> {
  // Bulk seeding through the SDK one add() at a time mirrors how functions write.
  for (let i = 0; i < n; i++) {
    await f.db
      .collection('items')
      .add({ data: { n: i, category: i % 2 ? 'odd' : 'even', ...extra(i) } });
  }
}

describe('documents', () => {
  test('add, get, update, set, remove by id', async () => {
    const items = f.db.collection('items');
    const { _id } = await items.add({ data: { title: '晨练', n: 1, tags: ['a'] } });
    expect(_id).toMatch(/^[0-9a-f]{32}$/);

    expect((await items.doc(_id).get()).data).toEqual({ _id, title: '晨练', n: 1, tags: ['a'] });

    const _ = f.db.command;
    const upd = await items
      .doc(_id)
      .update({ data: { n: _.inc(4), tags: _.push('b'), nested: { x: 1 } } });
    expect(upd.stats.updated).toBe(1);
    expect((await items.doc(_id).get()).data).toEqual({
      _id,
      title: '晨练',
      n: 5,
      tags: ['a', 'b'],
      nested: { x: 1 },
    });

    const set = await items.doc(_id).set({ data: { title: 'replaced' } });
    expect(set.stats).toEqual({ updated: 1, created: 0 });
    expect((await items.doc(_id).get()).data).toEqual({ _id, title: 'replaced' });

    const created = await items.doc('fixed-id').set({ data: { title: 'upserted' } });
    expect(created.stats).toEqual({ updated: 0, created: 1 });
    expect((await items.doc('fixed-id').get()).data).toEqual({
      _id: 'fixed-id',
      title: 'upserted',
    });

    expect((await items.doc(_id).remove()).stats.removed).toBe(1);
    expect((await items.doc(_id).remove()).stats.removed).toBe(0);
    expect((await items.count()).total).toBe(1);
  });

  test('an explicit _id is kept; a duplicate _id fails like production', async () => {
    const items = f.db.collection('items');
    expect((await items.add({ data: { _id: 'u1', n: 1 } }))._id).toBe('u1');
    const err = await sdkError(items.add({ data: { _id: 'u1', n: 2 } }));
    expect(err.errMsg).toMatch(/E11000 duplicate key error/);
    expect((await items.doc('u1').get()).data).toEqual({ _id: 'u1', n: 1 });
  });

  test('no automatic _openid on writes', async () => {
    const { _id } = await f.db.collection('items').add({ data: { n: 1 } });
    const doc = (await f.db.collection('items').doc(_id).get()).data;
    expect(doc).not.toHaveProperty('_openid');
  });

  test('doc().get() of a missing document throws unless throwOnNotFound is false', async () => {
    const err = await sdkError(f.db.collection('items').doc('nope').get());
    expect(err.errMsg).toMatch(/does not exist/);
    const lenient = f.sdk.database({ throwOnNotFound: false });
    expect((await lenient.collection('items').doc('nope').get()).data).toBeNull();
  });

  test('doc().update() of a missing document updates 0 and does not create it', async () => {
    const _ = f.db.command;
    const r = await f.db
      .collection('items')
      .doc('ghost')
      .update({ data: { n: _.inc(1) } });
    expect(r.stats.updated).toBe(0);
    expect((await f.db.collection('items').count()).total).toBe(0);
  });

  test('updating _id is refused', async () => {
    const { _id } = await f.db.collection('items').add({ data: { n: 1 } });
    await expect(
      f.db
        .collection('items')
        .doc(_id)
        .update({ data: { _id: 'other' } }),
    ).rejects.toBeTruthy();
  });

  test('serverDate is stored as a date (with offset) and Date values round-trip', async () => {
    const before = Date.now();
    const { _id } = await f.db.collection('items').add({
      data: {
        at: f.db.serverDate(),
        later: f.db.serverDate({ offset: 60_000 }),
        fixed: new Date('2024-03-01T08:00:00Z'),
      },
    });
    const doc = (await f.db.collection('items').doc(_id).get()).data as Doc;
    expect(doc.at).toBeInstanceOf(Date);
    const at = (doc.at as Date).getTime();
    expect(at).toBeGreaterThanOrEqual(before);
    expect((doc.later as Date).getTime() - at).toBeGreaterThanOrEqual(59_000);
    expect(doc.fixed).toEqual(new Date('2024-03-01T08:00:00Z'));

    const _ = f.db.command;
    const older = await f.db
      .collection('items')
      .where({ at: _.lt(new Date(Date.now() + 1)) })
      .get();
    expect(older.data.map((d) => d._id)).toEqual([_id]);
    const none = await f.db
      .collection('items')
      .where({ at: _.lt(new Date(before - 1000)) })
      .get();
    expect(none.data).toEqual([]);
    // serverDate also works inside update operators and queries.
    await f.db
      .collection('items')
      .doc(_id)
      .update({ data: { touchedAt: f.db.serverDate() } });
    const touched = await f.db
      .collection('items')
      .where({ touchedAt: _.lte(f.db.serverDate()) })
      .count();
    expect(touched.total).toBe(1);
  });

  test('Geo.Point comes back as the SDK Point type', async () => {
    const { _id } = await f.db
      .collection('places')
      .add({ data: { location: f.db.Geo.Point(113.32, 23.13) } });
    const doc = (await f.db.collection('places').doc(_id).get()).data as Doc;
    expect(doc.location).toMatchObject({ longitude: 113.32, latitude: 23.13 });
    expect((doc.location as { constructor: { name: string } }).constructor.name).toBe('Point');
  });

  test('data survives closing and reopening the file', async () => {
    const { _id } = await f.db
      .collection('items')
      .add({ data: { title: 'durable', at: new Date(5) } });
    f.reopen();
    const db = f.sdk.database();
    expect((await db.collection('items').doc(_id).get()).data).toEqual({
      _id,
      title: 'durable',
      at: new Date(5),
    });
  });

  test('reset() drops documents but keeps collections', async () => {
    await f.db.collection('items').add({ data: { n: 1 } });
    f.local.reset();
    expect((await f.db.collection('items').count()).total).toBe(0);
    expect(f.local.collections()).toContain('items');
  });
});

describe('collections and indexes', () => {
  test('an undeclared collection fails with DATABASE_COLLECTION_NOT_EXIST', async () => {
    const err = await sdkError(f.db.collection('undeclared').get());
    expect(err.errCode).toBe(-502005);
    const addErr = await sdkError(f.db.collection('undeclared').add({ data: { a: 1 } }));
    expect(addErr.errCode).toBe(-502005);
  });

  test('createCollection makes a collection; creating it twice fails', async () => {
    await f.db.createCollection('later');
    expect(f.local.collections()).toContain('later');
    await f.db.collection('later').add({ data: { a: 1 } });
    expect((await f.db.collection('later').count()).total).toBe(1);
    await expect(f.db.createCollection('later')).rejects.toMatchObject({
      errMsg: expect.stringMatching(/exist/i),
    });
  });

  test('a unique index is enforced on add, update and set', async () => {
    const members = f.db.collection('members');
    const a = await members.add({ data: { phone: '13800000001' } });
    const b = await members.add({ data: { phone: '13800000002' } });
    expect((await sdkError(members.add({ data: { phone: '13800000001' } }))).errMsg).toMatch(
      /phone_1/,
    );
    expect(
      (await sdkError(members.doc(b._id).update({ data: { phone: '13800000001' } }))).errMsg,
    ).toMatch(/duplicate key/);
    expect(
      (await sdkError(members.doc(b._id).set({ data: { phone: '13800000001' } }))).errMsg,
    ).toMatch(/duplicate key/);
    // The failed writes changed nothing; freeing the key makes it usable again.
    expect((await members.doc(b._id).get()).data).toMatchObject({ phone: '13800000002' });
    await members.doc(a._id).remove();
    await members.doc(b._id).update({ data: { phone: '13800000001' } });
    expect((await members.where({ phone: '13800000001' }).get()).data.map((d) => d._id)).toEqual([
      b._id,
    ]);
  });

  test('a unique index over an array field is multikey, as in MongoDB: sharing any element conflicts', async () => {
    const members = f.db.collection('members');
    await members.add({ data: { phone: ['13800000001', '13800000002'] } });
    // A document repeating one of its own elements is fine; another sharing one is not.
    const c = await members.add({ data: { phone: ['13800000003', '13800000003'] } });
    expect(
      (await sdkError(members.add({ data: { phone: ['13800000002', '13800000009'] } }))).errMsg,
    ).toMatch(/duplicate key/);
    expect((await sdkError(members.add({ data: { phone: '13800000001' } }))).errMsg).toMatch(
      /duplicate key/,
    );
    expect(
      (
        await sdkError(
          members.doc(c._id).update({ data: { phone: ['13800000004', '13800000001'] } }),
        )
      ).errMsg,
    ).toMatch(/duplicate key/);
    // Inside a transaction too.
    const err = await sdkError(
      f.db.runTransaction(async (tx) => {
        await tx.collection('members').add({ data: { phone: ['13800000007', '13800000002'] } });
      }),
    );
    expect(err.errMsg).toMatch(/duplicate key/);
    expect((await members.count()).total).toBe(2);
  });
});

describe('queries', () => {
  test('operators, order, skip, limit and projection', async () => {
    await seedItems(10, (i) => ({ name: `item-${i}`, tags: i % 3 === 0 ? ['three'] : [] }));
    const _ = f.db.command;
    const items = f.db.collection('items');

    const gt = await items
      .where({ n: _.gt(6) })
      .orderBy('n', 'asc')
      .get();
    expect(gt.data.map((d) => d.n)).toEqual([7, 8, 9]);

    const page = await items
      .where({ category: 'even' })
      .orderBy('n', 'desc')
      .skip(1)
      .limit(2)
      .get();
    expect(page.data.map((d) => d.n)).toEqual([6, 4]);

    const combined = await items
      .where(_.or([{ n: _.lt(2) }, { n: _.in([5, 9]) }]))
      .orderBy('n', 'asc')
      .get();
    expect(combined.data.map((d) => d.n)).toEqual([0, 1, 5, 9]);

    const arrays = await items.where({ tags: 'three' }).count();
    expect(arrays.total).toBe(4);

    const regex = await items
      .where({ name: f.db.RegExp({ regexp: '^ITEM-1', options: 'i' }) })
      .get();
    expect(regex.data.map((d) => d.n)).toEqual([1]);
    const jsRegex = await items.where({ name: /-(2|3)$/ }).count();
    expect(jsRegex.total).toBe(2);

    const projected = await items.where({ n: 3 }).field({ name: true }).get();
    expect(projected.data).toEqual([{ _id: expect.any(String), name: 'item-3' }]);

    const exists = await items.where({ missing: _.exists(false), n: _.gte(8) }).count();
    expect(exists.total).toBe(2);
  });

  test('get() returns at most 100 documents by default and 1000 at most', async () => {
    const rows = Array.from({ length: 1100 }, (_v, i) => ({ n: i }));
    for (let i = 0; i < rows.length; i++) await f.db.collection('plain').add({ data: rows[i] });
    expect((await f.db.collection('plain').get()).data).toHaveLength(100);
    expect((await f.db.collection('plain').limit(5000).get()).data).toHaveLength(1000);
    const second = await f.db.collection('plain').skip(100).get();
    expect(second.data[0].n).toBe(100);
    expect((await f.db.collection('plain').count()).total).toBe(1100);
  }, 30_000);

  test('where().update() updates every match; where().remove() removes every match', async () => {
    await seedItems(6);
    const _ = f.db.command;
    const r = await f.db
      .collection('items')
      .where({ category: 'odd' })
      .update({ data: { flagged: true, n: _.mul(10) } });
    expect(r.stats.updated).toBe(3);
    const flagged = await f.db
      .collection('items')
      .where({ flagged: true })
      .orderBy('n', 'asc')
      .get();
    expect(flagged.data.map((d) => d.n)).toEqual([10, 30, 50]);
    const removed = await f.db.collection('items').where({ category: 'even' }).remove();
    expect(removed.stats.removed).toBe(3);
    expect((await f.db.collection('items').count()).total).toBe(3);
  });

  test('where({category}) over 5,000 documents answers well under 100 ms', async () => {
    const insert = f.local.db.prepare('INSERT INTO docs (coll, id, doc, rev) VALUES (?, ?, ?, ?)');
    f.local.db.transaction(() => {
      for (let i = 0; i < 5000; i++) {
        const doc = {
          _id: `id${i}`,
          category: `c${i % 50}`,
          title: `服务 ${i}`,
          n: i,
          at: { $date: { $numberLong: String(i) } },
        };
        insert.run('items', doc._id, JSON.stringify(doc), i + 1);
      }
    })();
    const items = f.db.collection('items');
    await items.where({ category: 'c7' }).get(); // warm up statement caches
    const t0 = performance.now();
    const res = await items.where({ category: 'c7' }).get();
    const ms = performance.now() - t0;
    expect(res.data).toHaveLength(100);
    expect(res.data[0].at).toEqual(new Date(7));
    const t1 = performance.now();
    const count = await items.where({ category: 'c7' }).count();
    const countMs = performance.now() - t1;
    expect(count.total).toBe(100);
    expect(ms).toBeLessThan(100);
    expect(countMs).toBeLessThan(100);
  });
});
