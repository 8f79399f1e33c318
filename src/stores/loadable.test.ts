import { create } from 'zustand';
import { type Loadable, idle, loadInto, reloading, settled } from './loadable';
import { outcomeOf } from './outcome';

interface TestState {
  list: Loadable<string[]>;
  other: Loadable<number>;
}

const makeStore = () => create<TestState>()(() => ({ list: idle(), other: idle() }));

describe('Loadable', () => {
  it('loads into one key only: loading first, then ready with the data', async () => {
    const store = makeStore();
    let seenWhileLoading: Loadable<string[]> | null = null;
    const ok = await loadInto(store.setState, store.getState, 'list', async () => {
      seenWhileLoading = store.getState().list;
      return { ok: true, data: ['a'] };
    });
    expect(ok).toBe(true);
    expect(seenWhileLoading).toEqual({ status: 'loading', data: null, error: null });
    expect(store.getState().list).toEqual({ status: 'ready', data: ['a'], error: null });
    expect(store.getState().other).toEqual(idle());
  });

  it('keeps the old data on a failed reload and shows the message', async () => {
    const store = makeStore();
    store.setState({ list: { status: 'ready', data: ['old'], error: null } });
    const ok = await loadInto(store.setState, store.getState, 'list', async () => ({
      ok: false,
      message: '网络不给力',
    }));
    expect(ok).toBe(false);
    expect(store.getState().list).toEqual({ status: 'error', data: ['old'], error: '网络不给力' });
  });

  it('drops the answer of a load overtaken by a newer one', async () => {
    const store = makeStore();
    let finishFirst: (v: { ok: true; data: string[] }) => void = () => undefined;
    const first = loadInto(
      store.setState,
      store.getState,
      'list',
      () => new Promise((resolve) => (finishFirst = resolve)),
    );
    await loadInto(store.setState, store.getState, 'list', async () => ({
      ok: true,
      data: ['newer'],
    }));
    finishFirst({ ok: true, data: ['stale'] });
    await first;
    expect(store.getState().list.data).toEqual(['newer']);
  });

  it('reloading keeps showing data; settled replaces it', () => {
    const ready: Loadable<number> = { status: 'ready', data: 1, error: null };
    expect(reloading(ready)).toEqual({ status: 'ready', data: 1, error: null });
    expect(settled(ready, { ok: true, data: 2 })).toEqual({
      status: 'ready',
      data: 2,
      error: null,
    });
  });
});

describe('outcomeOf', () => {
  it('gives the success message (from the data when a function) or the refusal', () => {
    expect(outcomeOf({ ok: true, data: 3 }, (n) => `已确认 ${n} 条`)).toEqual({
      ok: true,
      message: '已确认 3 条',
      data: 3,
    });
    expect(outcomeOf({ ok: false, code: 'POST_FULL', message: '名额已满' }, '已报名')).toEqual({
      ok: false,
      message: '名额已满',
      code: 'POST_FULL',
    });
  });
});
