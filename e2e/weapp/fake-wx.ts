/**
 * One person's phone as the mini-program sees it: the `wx` object of a WeChat client.
 *
 * - `wx.cloud.callFunction` runs the BUILT cloud function (dist-functions/<fn>/index.js) in the
 *   local cloud's function host (local/runtime/function-host.ts, started by ./local-cloud) with
 *   this phone's openid as the caller, as WeChat attaches it; event and result cross as JSON.
 * - The network can be cut (`setOnline(false)`): `getNetworkType` answers "none",
 *   `onNetworkStatusChange` listeners hear it, and `callFunction` fails as a client with no
 *   network does.
 * - Storage is the phone's own (JSON copies, as WeChat keeps them); toasts, dialogs, calendar
 *   entries, clipboard and navigation are recorded for the tests and answered like WeChat.
 * - Every call first goes through ./wx-api-checks (WeChat's parameter tables). A call WeChat
 *   refuses fails like WeChat (`fail` + rejection, or a throw for …Sync); every finding, refused
 *   or merely shown wrong, is kept in `findings` and fails the scenario.
 */
import type { FunctionHost } from '../../local/runtime/function-host';
import { grantSubscription } from '../../local/runtime/openapi';
import { checkWxCall, docOf, routeOf, type AppFacts, type Finding } from './wx-api-checks';

type Options = Record<string, unknown> & {
  success?: (res: unknown) => void;
  fail?: (err: unknown) => void;
  complete?: (res: unknown) => void;
};

/** Where a phone's navigation lands: provided by the simulator (./simulator). */
export interface Navigator {
  open: (
    route: string,
    query: Record<string, string>,
    how: 'navigateTo' | 'redirectTo' | 'switchTab' | 'reLaunch',
  ) => void;
  back: (delta: number) => void;
  depth: () => number;
}

export interface WxFinding extends Finding {
  api: string;
  doc: string;
}

export interface Phone {
  /** Installed as `global.wx` before the simulator loads. */
  api: Record<string, unknown>;
  openid: string;
  online: boolean;
  setOnline: (on: boolean) => void;
  /**
   * Answers to lose on the way back, by "function.action" (e.g. "booking.create"): the next this
   * many such calls reach the function and run, but the phone sees a network failure.
   */
  loseAnswers: Map<string, number>;
  /** callFunction calls sent and not yet answered (or failed). */
  inFlight: number;
  findings: WxFinding[];
  /** Every wx call by name, in order. */
  calls: string[];
  cloudCalls: Array<{ name: string; action: string; input: unknown; ok: boolean | null }>;
  toasts: Array<{ title: string; icon: string }>;
  modals: Array<{ title: string; content: string }>;
  /**
   * Answers for the next dialogs, in order: confirm (true) or cancel (false), or for a dialog with
   * an input (editable) what the person typed. When empty the person taps the confirm button.
   */
  modalAnswers: Array<boolean | { confirm: boolean; content: string }>;
  /** Index the person taps in the next action sheet; null cancels. */
  actionSheetAnswer: number | null;
  actionSheets: string[][];
  calendar: Options[];
  clipboard: string[];
  /** The tab bar's badges as set now: tab index → text. */
  tabBadges: Map<number, string>;
  /** What the next scanCode reads: a mini-program code's path (e.g. the entrance code). */
  scanPath: string | null;
  /** The photo the person takes at the next chooseMedia (a temp path); null cancels. */
  photo: string | null;
  /** Files "uploaded" to cloud storage: cloudPath → the temp file it came from. */
  uploads: Map<string, string>;
  /** Where getLocation finds the phone (GCJ-02, as type 'gcj02' answers); null: the person refused. */
  location: { latitude: number; longitude: number } | null;
  storage: Map<string, string>;
  navigations: Array<{ api: string; url: string }>;
  navigator: Navigator | null;
  app: AppFacts | null;
}

export interface PhoneOptions {
  host: FunctionHost;
  openid: string;
}

const later = (fn: () => void, ms = 1) => void setTimeout(fn, ms);

/** All of a mini-program's storage together (wx.setStorage: 10 MB). */
const STORAGE_TOTAL_LIMIT_BYTES = 10 * 1024 * 1024;

export function createPhone({ host, openid }: PhoneOptions): Phone {
  let cloudReady = false;
  const networkListeners: Array<(res: { isConnected: boolean; networkType: string }) => void> = [];
  const phone: Phone = {
    api: {},
    openid,
    online: true,
    loseAnswers: new Map(),
    inFlight: 0,
    setOnline(on) {
      if (phone.online === on) return;
      phone.online = on;
      const res = { isConnected: on, networkType: on ? 'wifi' : 'none' };
      for (const l of [...networkListeners]) later(() => l(res));
    },
    findings: [],
    calls: [],
    cloudCalls: [],
    toasts: [],
    modals: [],
    modalAnswers: [],
    actionSheetAnswer: 0,
    actionSheets: [],
    calendar: [],
    tabBadges: new Map(),
    clipboard: [],
    scanPath: null,
    location: null,
    photo: null,
    uploads: new Map(),
    storage: new Map(),
    navigations: [],
    navigator: null,
    app: null,
  };

  const facts = (): AppFacts =>
    phone.app ?? {
      pages: new Set(),
      tabPages: new Set(),
      stackDepth: () => phone.navigator?.depth() ?? 0,
      currentRoute: () => '',
    };

  /** Run the table's checks; keep every finding; the first refusal's message, if WeChat refuses. */
  function check(api: string, args: unknown[]): string | null {
    const found = checkWxCall(api, args, facts());
    for (const f of found) phone.findings.push({ ...f, api, doc: docOf(api) });
    return found.find((f) => f.kind === 'reject')?.message ?? null;
  }

  /** An asynchronous API: callbacks and, without them, a promise, as WeChat's base library does. */
  function asyncApi(
    api: string,
    run: (o: Options) => Promise<Record<string, unknown>> | Record<string, unknown>,
  ) {
    return (options: Options = {}) => {
      phone.calls.push(api);
      const refused = check(api, [options]);
      const settle = new Promise<Record<string, unknown>>((resolve, reject) => {
        later(() => {
          if (refused) {
            reject({ errMsg: refused });
            return;
          }
          Promise.resolve()
            .then(() => run(options))
            .then(
              (res) => resolve({ errMsg: `${api}:ok`, ...res }),
              (err: unknown) =>
                reject(
                  typeof err === 'object' && err !== null && 'errMsg' in err
                    ? err
                    : { errMsg: `${api}:fail ${String(err)}` },
                ),
            );
        });
      });
      const hasCallbacks = Boolean(options.success || options.fail || options.complete);
      settle.then(
        (res) => {
          options.success?.(res);
          options.complete?.(res);
        },
        (err: unknown) => {
          options.fail?.(err);
          options.complete?.(err);
        },
      );
      if (hasCallbacks) {
        settle.catch(() => undefined);
        return undefined;
      }
      return settle;
    };
  }

  /** A synchronous API: WeChat throws on a refused call. */
  function syncApi<T>(api: string, run: (...args: unknown[]) => T) {
    return (...args: unknown[]): T => {
      phone.calls.push(api);
      const refused = check(api, args);
      if (refused) throw new Error(refused);
      return run(...args);
    };
  }

  const navigate = (api: 'navigateTo' | 'redirectTo' | 'switchTab' | 'reLaunch') =>
    asyncApi(api, (o) => {
      const url = String(o.url);
      phone.navigations.push({ api, url });
      const [, query = ''] = url.split('?');
      const params: Record<string, string> = {};
      if (api !== 'switchTab') {
        for (const part of query.split('&').filter(Boolean)) {
          const [k, v = ''] = part.split('=');
          params[k] = v;
        }
      }
      phone.navigator?.open(routeOf(url, facts().currentRoute()), params, api);
      return {};
    });

  const store = (api: string, key: string, data: unknown) => {
    // WeChat keeps what JSON.stringify keeps (Date as its string, no functions).
    const text = JSON.stringify(data === undefined ? null : data);
    const others = [...phone.storage]
      .filter(([k]) => k !== key)
      .reduce((n, [, v]) => n + Buffer.byteLength(v), 0);
    // "所有数据存储上限为 10MB" (wx.setStorage): a write past it fails.
    if (others + Buffer.byteLength(text) > STORAGE_TOTAL_LIMIT_BYTES) {
      const errMsg = `${api}:fail exceed storage max size 10MB`;
      phone.findings.push({ kind: 'reject', message: errMsg, api, doc: docOf(api) });
      throw api.endsWith('Sync') ? new Error(errMsg) : { errMsg };
    }
    phone.storage.set(key, text);
  };
  const read = (key: string): unknown => {
    const text = phone.storage.get(key);
    return text === undefined ? '' : (JSON.parse(text) as unknown);
  };

  phone.api = {
    cloud: {
      init: syncApi('cloud.init', () => {
        cloudReady = true;
      }),
      callFunction: asyncApi('cloud.callFunction', async (o) => {
        // "在调用云开发各 API 前，需先调用初始化方法 init 一次" (wx.cloud.init).
        if (!cloudReady) {
          const errMsg = 'cloud.callFunction:fail please call wx.cloud.init first';
          phone.findings.push({
            kind: 'reject',
            message: errMsg,
            api: 'cloud.callFunction',
            doc: docOf('cloud.init'),
          });
          throw { errMsg };
        }
        const data = (o.data ?? {}) as { action?: string; input?: unknown };
        const entry = {
          name: String(o.name),
          action: String(data.action),
          input: data.input,
          ok: null as boolean | null,
        };
        phone.cloudCalls.push(entry);
        if (!phone.online) {
          throw {
            errMsg:
              'cloud.callFunction:fail Error: errCode: -1 | errMsg: request:fail Network is unreachable',
          };
        }
        // The event crosses the network as JSON; the host adds userInfo and the caller's OPENID.
        const event = JSON.parse(JSON.stringify(o.data ?? {})) as unknown;
        let result: unknown;
        phone.inFlight += 1;
        try {
          result = await host.invoke(String(o.name), event, { openid: phone.openid });
        } catch (e) {
          throw {
            errMsg: `cloud.callFunction:fail Error: errCode: -501000 | errMsg: ${(e as Error).message}`,
          };
        } finally {
          phone.inFlight -= 1;
        }
        const key = `${entry.name}.${entry.action}`;
        const lose = phone.loseAnswers.get(key) ?? 0;
        if (lose > 0) {
          phone.loseAnswers.set(key, lose - 1);
          throw {
            errMsg: 'cloud.callFunction:fail Error: errCode: -1 | errMsg: request:fail timeout',
          };
        }
        entry.ok =
          typeof result === 'object' && result !== null
            ? (result as { ok?: boolean }).ok === true
            : false;
        return { result, requestID: `local-${phone.cloudCalls.length}` };
      }),
      uploadFile: asyncApi('cloud.uploadFile', (o) => {
        if (!phone.online)
          throw { errMsg: 'cloud.uploadFile:fail request:fail Network is unreachable' };
        phone.uploads.set(String(o.cloudPath), String(o.filePath));
        return { fileID: `cloud://local-env.local/${String(o.cloudPath)}`, statusCode: 200 };
      }),
    },
    navigateTo: navigate('navigateTo'),
    redirectTo: navigate('redirectTo'),
    switchTab: navigate('switchTab'),
    reLaunch: navigate('reLaunch'),
    navigateBack: asyncApi('navigateBack', (o) => {
      phone.navigations.push({ api: 'navigateBack', url: '' });
      phone.navigator?.back(typeof o.delta === 'number' ? o.delta : 1);
      return {};
    }),
    showToast: asyncApi('showToast', (o) => {
      phone.toasts.push({ title: String(o.title), icon: String(o.icon ?? 'success') });
      return {};
    }),
    hideToast: asyncApi('hideToast', () => ({})),
    showLoading: asyncApi('showLoading', () => ({})),
    hideLoading: asyncApi('hideLoading', () => ({})),
    showModal: asyncApi('showModal', (o) => {
      phone.modals.push({ title: String(o.title ?? ''), content: String(o.content ?? '') });
      const answer = phone.modalAnswers.length > 0 ? phone.modalAnswers.shift() : true;
      const confirm = typeof answer === 'object' ? answer.confirm : Boolean(answer);
      const content = typeof answer === 'object' ? answer.content : '';
      return { confirm, cancel: !confirm, ...(o.editable ? { content } : {}) };
    }),
    showActionSheet: asyncApi('showActionSheet', (o) => {
      phone.actionSheets.push((o.itemList as string[]).map(String));
      if (phone.actionSheetAnswer === null) throw { errMsg: 'showActionSheet:fail cancel' };
      return { tapIndex: phone.actionSheetAnswer };
    }),
    setStorageSync: syncApi('setStorageSync', (key, data) =>
      store('setStorageSync', String(key), data),
    ),
    getStorageSync: syncApi('getStorageSync', (key) => read(String(key))),
    removeStorageSync: syncApi(
      'removeStorageSync',
      (key) => void phone.storage.delete(String(key)),
    ),
    clearStorageSync: syncApi('clearStorageSync', () => phone.storage.clear()),
    setStorage: asyncApi('setStorage', (o) => {
      store('setStorage', String(o.key), o.data);
      return {};
    }),
    getStorage: asyncApi('getStorage', (o) => {
      if (!phone.storage.has(String(o.key))) throw { errMsg: 'getStorage:fail data not found' };
      return { data: read(String(o.key)) };
    }),
    removeStorage: asyncApi('removeStorage', (o) => {
      phone.storage.delete(String(o.key));
      return {};
    }),
    getStorageInfoSync: syncApi('getStorageInfoSync', () => ({
      keys: [...phone.storage.keys()],
      currentSize: Math.ceil(
        [...phone.storage.values()].reduce((n, v) => n + Buffer.byteLength(v), 0) / 1024,
      ),
      limitSize: 10240,
    })),
    addPhoneCalendar: asyncApi('addPhoneCalendar', (o) => {
      phone.calendar.push(o);
      return {};
    }),
    getNetworkType: asyncApi('getNetworkType', () => ({
      networkType: phone.online ? 'wifi' : 'none',
      signalStrength: phone.online ? 80 : 0,
      hasSystemProxy: false,
    })),
    onNetworkStatusChange: syncApi('onNetworkStatusChange', (listener) => {
      networkListeners.push(listener as (typeof networkListeners)[number]);
    }),
    offNetworkStatusChange: syncApi('offNetworkStatusChange', (listener) => {
      const i = networkListeners.indexOf(listener as (typeof networkListeners)[number]);
      if (i >= 0) networkListeners.splice(i, 1);
    }),
    requestSubscribeMessage: asyncApi('requestSubscribeMessage', async (o) => {
      // The person taps 允许 in WeChat's prompt: one message per template may now be sent to them.
      const ids = (o.tmplIds as string[]) ?? [];
      const answer: Record<string, string> = {};
      for (const id of ids) {
        await grantSubscription(host.database, phone.openid, id, 1);
        answer[id] = 'accept';
      }
      return answer;
    }),
    scanCode: asyncApi('scanCode', () => {
      if (!phone.scanPath) throw { errMsg: 'scanCode:fail cancel' };
      return { result: '', scanType: 'WX_CODE', charSet: 'UTF-8', path: phone.scanPath };
    }),
    openLocation: asyncApi('openLocation', () => ({})),
    getLocation: asyncApi('getLocation', () => {
      if (!phone.location) throw { errMsg: 'getLocation:fail auth deny' };
      return {
        ...phone.location,
        speed: -1,
        accuracy: 30,
        altitude: 0,
        verticalAccuracy: 0,
        horizontalAccuracy: 30,
      };
    }),
    chooseMedia: asyncApi('chooseMedia', () => {
      if (!phone.photo) throw { errMsg: 'chooseMedia:fail cancel' };
      return {
        type: 'image',
        tempFiles: [
          {
            tempFilePath: phone.photo,
            size: 204_800,
            fileType: 'image',
            width: 1080,
            height: 1440,
          },
        ],
      };
    }),
    setClipboardData: asyncApi('setClipboardData', (o) => {
      phone.clipboard.push(String(o.data));
      return {};
    }),
    setTabBarBadge: asyncApi('setTabBarBadge', (o) => {
      phone.tabBadges.set(Number(o.index), String(o.text));
      return {};
    }),
    removeTabBarBadge: asyncApi('removeTabBarBadge', (o) => {
      phone.tabBadges.delete(Number(o.index));
      return {};
    }),
    pageScrollTo: asyncApi('pageScrollTo', () => ({})),
    stopPullDownRefresh: asyncApi('stopPullDownRefresh', () => ({})),
  };
  return phone;
}

/** The phone's findings as one readable block (empty string when there are none). */
export function describeFindings(findings: readonly WxFinding[]): string {
  return findings
    .map(
      (f) =>
        `  ${f.kind === 'reject' ? 'WeChat refuses' : 'WeChat shows it wrong'}: ${f.message}\n    (${f.doc})`,
    )
    .join('\n');
}
