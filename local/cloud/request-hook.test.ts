/** onRequest: every database request the SDK sends is observed once, with its action name. */
import { onRequest } from './index';
import { freshCloud, type Fixture } from './test-support/fixture';

let f: Fixture;
beforeEach(() => {
  f = freshCloud();
});
afterEach(() => f.cleanup());

test('reports each request once, in order, until stopped', async () => {
  const seen: string[] = [];
  const stop = onRequest((action, params) =>
    seen.push(`${action} ${String(params.collectionName ?? '')}`),
  );
  const items = f.db.collection('items');
  const _ = f.db.command;
  const { _id } = await items.add({ data: { n: 1 } });
  await items.where({ _id, n: _.gt(0) }).update({ data: { n: _.inc(1) } });
  await items.doc(_id).get();
  await items.where({ n: 2 }).count();
  stop();
  await items.doc(_id).get();
  expect(seen).toEqual([
    'database.insertDocument items',
    'database.modifyDocument items',
    'database.getDocument items',
    'database.calculateDocument items',
  ]);
});

test('a failing request is reported too (production bills it)', async () => {
  const seen: string[] = [];
  const stop = onRequest((action) => seen.push(action));
  await expect(f.db.collection('no_such_collection').doc('x').get()).rejects.toBeTruthy();
  stop();
  expect(seen).toEqual(['database.getDocument']);
});
