/**
 * What WeChat checks before it runs a `wx` API, as a table: one entry per API the app calls, each
 * citing the page of WeChat's API reference (developers.weixin.qq.com) its parameter table comes
 * from. The simulated `wx` (./fake-wx) runs every call through `checkWxCall` first.
 *
 * Two kinds of finding:
 * - `reject`: WeChat itself refuses the call. Asynchronous APIs answer through `fail` (and the
 *   promise rejects) with WeChat's own message, e.g.
 *   `showModal:fail parameter error: parameter.content should be String instead of Number;`;
 *   synchronous ones throw. The test fails too: the app sent something WeChat does not accept.
 * - `display`: WeChat runs the call but does not show what the app meant (a toast title cut after
 *   7 characters next to an icon, a modal button label over 4 characters). WeChat answers `ok`;
 *   the test fails.
 */

/** WeChat's type names, as its parameter errors spell them. */
export type WxType = 'String' | 'Number' | 'Boolean' | 'Object' | 'Array' | 'Function' | 'Any';

export interface ParamSpec {
  type: WxType | WxType[];
  required?: boolean;
  /** Allowed values ("合法值"). */
  oneOf?: readonly (string | number)[];
}

export interface Finding {
  kind: 'reject' | 'display';
  message: string;
}

/** What the checks need to know about the mini-program (from dist/app.json). */
export interface AppFacts {
  pages: ReadonlySet<string>;
  tabPages: ReadonlySet<string>;
  /** Pages on the stack right now (navigateTo fails past 10). */
  stackDepth: () => number;
  /** The route of the page on top ('' when none), for relative urls. */
  currentRoute: () => string;
}

interface ApiSpec {
  /** The reference page the table below is taken from. */
  doc: string;
  /** `object`: one options object (most APIs). `positional`: arguments in order (…Sync storage APIs). */
  params?: Record<string, ParamSpec>;
  positional?: Array<ParamSpec & { name: string }>;
  /** Rules beyond the table's types: limits and combinations stated in the same page. */
  rules?: (options: Record<string, unknown>, app: AppFacts, args: unknown[]) => Finding[];
}

const DOCS = 'https://developers.weixin.qq.com/miniprogram/dev/api';
const CLOUD_DOCS =
  'https://developers.weixin.qq.com/miniprogram/dev/wxcloudservice/wxcloud/reference-sdk-api';
const CALLBACKS: Record<string, ParamSpec> = {
  success: { type: 'Function' },
  fail: { type: 'Function' },
  complete: { type: 'Function' },
};

/** Width in Chinese characters: a CJK or full-width character is 1, an ASCII one half. */
export function chineseWidth(text: string): number {
  let width = 0;
  for (const ch of text) width += /[\u0000-\u00ff]/.test(ch) ? 0.5 : 1;
  return width;
}

/**
 * A page path of the app from a navigation url: absolute ("/packages/x/index?a=1" →
 * "packages/x/index") or relative to the page on top ("../mine/index" from
 * "packages/booking/slots/index" → "packages/booking/mine/index"), as WeChat resolves it.
 */
export function routeOf(url: string, from = ''): string {
  const path = url.split('?')[0];
  if (path.startsWith('/')) return path.slice(1);
  const parts = from.split('/').slice(0, -1);
  for (const part of path.split('/')) {
    if (part === '..') parts.pop();
    else if (part !== '.' && part !== '') parts.push(part);
  }
  return parts.join('/');
}

function reject(message: string): Finding {
  return { kind: 'reject', message };
}

function display(message: string): Finding {
  return { kind: 'display', message };
}

function navigationRules(api: 'navigateTo' | 'redirectTo' | 'switchTab' | 'reLaunch') {
  return (o: Record<string, unknown>, app: AppFacts): Finding[] => {
    if (typeof o.url !== 'string') return [];
    const route = routeOf(o.url, app.currentRoute());
    if (!app.pages.has(route)) return [reject(`${api}:fail page "${route}" is not found`)];
    const isTab = app.tabPages.has(route);
    if ((api === 'navigateTo' || api === 'redirectTo') && isTab)
      return [reject(`${api}:fail can not ${api} a tabbar page`)];
    if (api === 'switchTab' && !isTab)
      return [reject('switchTab:fail can not switch to no-tabBar page')];
    if (api === 'switchTab' && o.url.includes('?'))
      return [display(`switchTab: "路径后不能带参数" — the query of ${o.url} is dropped`)];
    if (api === 'navigateTo' && app.stackDepth() >= 10)
      return [reject('navigateTo:fail webview count limit exceed')];
    return [];
  };
}

/** The tab bar's APIs act on the shown tab bar: from a tab page, on one of its items. */
function tabBarRules(api: string, index: unknown, app: AppFacts): Finding[] {
  if (!app.tabPages.has(app.currentRoute())) return [reject(`${api}:fail not TabBar page`)];
  if (
    typeof index === 'number' &&
    (!Number.isInteger(index) || index < 0 || index >= app.tabPages.size)
  )
    return [reject(`${api}:fail tabbar item not found`)];
  return [];
}

/** Largest value per storage key (1 MB), wx.setStorage / wx.setStorageSync. */
export const STORAGE_KEY_LIMIT_BYTES = 1024 * 1024;

function storageDataRules(data: unknown): Finding[] {
  let text: string | undefined;
  try {
    text = JSON.stringify(data);
  } catch {
    return [reject('setStorage:fail data is not serialisable with JSON.stringify')];
  }
  if (text !== undefined && Buffer.byteLength(text) > STORAGE_KEY_LIMIT_BYTES) {
    return [reject('setStorage:fail exceed storage item max length')];
  }
  return [];
}

export const WX_API_SPECS: Record<string, ApiSpec> = {
  showToast: {
    doc: `${DOCS}/ui/interaction/wx.showToast.html`,
    params: {
      title: { type: 'String', required: true },
      icon: { type: 'String', oneOf: ['success', 'error', 'loading', 'none'] },
      image: { type: 'String' },
      duration: { type: 'Number' },
      mask: { type: 'Boolean' },
      ...CALLBACKS,
    },
    rules(o) {
      // "success / error / loading：此时 title 文本最多显示 7 个汉字长度；none：最多可显示两行".
      const icon = (o.icon as string | undefined) ?? 'success';
      const title = typeof o.title === 'string' ? o.title : '';
      if (icon !== 'none' && !o.image && chineseWidth(title) > 7) {
        return [
          display(
            `showToast: with icon "${icon}" WeChat shows at most 7 Chinese characters; «${title}» is ${chineseWidth(title)} wide`,
          ),
        ];
      }
      return [];
    },
  },
  showModal: {
    doc: `${DOCS}/ui/interaction/wx.showModal.html`,
    params: {
      title: { type: 'String' },
      content: { type: 'String' },
      showCancel: { type: 'Boolean' },
      cancelText: { type: 'String' },
      cancelColor: { type: 'String' },
      confirmText: { type: 'String' },
      confirmColor: { type: 'String' },
      editable: { type: 'Boolean' },
      placeholderText: { type: 'String' },
      ...CALLBACKS,
    },
    rules(o) {
      const out: Finding[] = [];
      // "cancelText / confirmText：最多 4 个字符"; WeChat shows no dialog at all when longer.
      for (const key of ['confirmText', 'cancelText'] as const) {
        const text = o[key];
        if (typeof text === 'string' && [...text].length > 4)
          out.push(
            reject(
              `showModal:fail ${key} length should not larger than 4 Chinese characters («${text}»)`,
            ),
          );
      }
      for (const key of ['confirmColor', 'cancelColor'] as const) {
        const color = o[key];
        if (typeof color === 'string' && !/^#[0-9a-fA-F]{6}$/.test(color))
          out.push(
            reject(`showModal:fail ${key} must be a hexadecimal colour string («${color}»)`),
          );
      }
      if (!o.title && !o.content)
        out.push(display('showModal: neither title nor content: an empty dialog'));
      return out;
    },
  },
  showActionSheet: {
    doc: `${DOCS}/ui/interaction/wx.showActionSheet.html`,
    params: {
      alertText: { type: 'String' },
      itemList: { type: 'Array', required: true },
      itemColor: { type: 'String' },
      ...CALLBACKS,
    },
    rules(o) {
      const list = o.itemList;
      if (!Array.isArray(list)) return [];
      // "按钮的文字数组，数组长度最大为 6".
      if (list.length > 6)
        return [
          reject(`showActionSheet:fail parameter error: itemList should not be large than 6`),
        ];
      if (list.length === 0)
        return [
          reject(
            'showActionSheet:fail parameter error: parameter.itemList should have at least 1 item;',
          ),
        ];
      if (!list.every((x) => typeof x === 'string'))
        return [reject('showActionSheet:fail parameter error: itemList should be Array<String>')];
      return [];
    },
  },
  navigateTo: {
    doc: `${DOCS}/route/wx.navigateTo.html`,
    params: {
      url: { type: 'String', required: true },
      events: { type: 'Object' },
      routeType: { type: 'String' },
      ...CALLBACKS,
    },
    rules: navigationRules('navigateTo'),
  },
  redirectTo: {
    doc: `${DOCS}/route/wx.redirectTo.html`,
    params: { url: { type: 'String', required: true }, ...CALLBACKS },
    rules: navigationRules('redirectTo'),
  },
  switchTab: {
    doc: `${DOCS}/route/wx.switchTab.html`,
    params: { url: { type: 'String', required: true }, ...CALLBACKS },
    rules: navigationRules('switchTab'),
  },
  reLaunch: {
    doc: `${DOCS}/route/wx.reLaunch.html`,
    params: { url: { type: 'String', required: true }, ...CALLBACKS },
    rules: navigationRules('reLaunch'),
  },
  navigateBack: {
    doc: `${DOCS}/route/wx.navigateBack.html`,
    params: { delta: { type: 'Number' }, ...CALLBACKS },
    // On the first page there is nothing to go back to.
    rules: (_o, app) =>
      app.stackDepth() <= 1
        ? [reject('navigateBack:fail cannot navigate back at first page.')]
        : [],
  },
  setStorage: {
    doc: `${DOCS}/storage/wx.setStorage.html`,
    params: {
      key: { type: 'String', required: true },
      data: { type: 'Any', required: true },
      encrypt: { type: 'Boolean' },
      ...CALLBACKS,
    },
    rules: (o) => storageDataRules(o.data),
  },
  getStorage: {
    doc: `${DOCS}/storage/wx.getStorage.html`,
    params: { key: { type: 'String', required: true }, encrypt: { type: 'Boolean' }, ...CALLBACKS },
  },
  removeStorage: {
    doc: `${DOCS}/storage/wx.removeStorage.html`,
    params: { key: { type: 'String', required: true }, ...CALLBACKS },
  },
  setStorageSync: {
    doc: `${DOCS}/storage/wx.setStorageSync.html`,
    positional: [
      { name: 'key', type: 'String', required: true },
      { name: 'data', type: 'Any', required: true },
    ],
    rules: (_o, _app, args) => storageDataRules(args[1]),
  },
  getStorageSync: {
    doc: `${DOCS}/storage/wx.getStorageSync.html`,
    positional: [{ name: 'key', type: 'String', required: true }],
  },
  removeStorageSync: {
    doc: `${DOCS}/storage/wx.removeStorageSync.html`,
    positional: [{ name: 'key', type: 'String', required: true }],
  },
  addPhoneCalendar: {
    doc: `${DOCS}/device/calendar/wx.addPhoneCalendar.html`,
    params: {
      title: { type: 'String', required: true },
      startTime: { type: 'Number', required: true },
      allDay: { type: 'Boolean' },
      description: { type: 'String' },
      location: { type: 'String' },
      endTime: { type: 'Number' },
      alarm: { type: 'Boolean' },
      alarmOffset: { type: 'Number' },
      path: { type: 'String' },
      signature: { type: 'String' },
      ...CALLBACKS,
    },
    rules(o) {
      const out: Finding[] = [];
      // "开始时间的 unix 时间戳" — seconds, not milliseconds.
      for (const key of ['startTime', 'endTime'] as const) {
        const t = o[key];
        if (typeof t === 'number' && (t > 1e11 || !Number.isInteger(t)))
          out.push(
            reject(`addPhoneCalendar:fail ${key} should be a unix timestamp in seconds, got ${t}`),
          );
      }
      if (
        typeof o.startTime === 'number' &&
        typeof o.endTime === 'number' &&
        o.endTime < o.startTime
      )
        out.push(reject('addPhoneCalendar:fail endTime should not be earlier than startTime'));
      if ((o.path === undefined) !== (o.signature === undefined))
        out.push(reject('addPhoneCalendar:fail path and signature must be used together'));
      return out;
    },
  },
  getNetworkType: {
    doc: `${DOCS}/device/network/wx.getNetworkType.html`,
    params: { ...CALLBACKS },
  },
  onNetworkStatusChange: {
    doc: `${DOCS}/device/network/wx.onNetworkStatusChange.html`,
    positional: [{ name: 'listener', type: 'Function', required: true }],
  },
  requestSubscribeMessage: {
    doc: `${DOCS}/open-api/subscribe-message/wx.requestSubscribeMessage.html`,
    params: { tmplIds: { type: 'Array', required: true }, ...CALLBACKS },
    rules(o) {
      const ids = o.tmplIds;
      if (!Array.isArray(ids)) return [];
      // "一次性模板 id 和永久模板 id 不可同时使用 … 一次最多可订阅 3 条消息".
      if (ids.length === 0) return [reject("requestSubscribeMessage:fail TmplIds can't be empty")];
      if (ids.length > 3)
        return [reject('requestSubscribeMessage:fail Templates count out of max bounds')];
      return [];
    },
  },
  scanCode: {
    doc: `${DOCS}/device/scan/wx.scanCode.html`,
    params: { onlyFromCamera: { type: 'Boolean' }, scanType: { type: 'Array' }, ...CALLBACKS },
    rules(o) {
      const allowed = ['barCode', 'qrCode', 'datamatrix', 'pdf417'];
      const types = o.scanType;
      if (Array.isArray(types) && !types.every((t) => allowed.includes(t as string)))
        return [
          reject(`scanCode:fail parameter error: scanType should be in ${allowed.join(', ')}`),
        ];
      return [];
    },
  },
  openLocation: {
    doc: `${DOCS}/location/wx.openLocation.html`,
    params: {
      latitude: { type: 'Number', required: true },
      longitude: { type: 'Number', required: true },
      scale: { type: 'Number' },
      name: { type: 'String' },
      address: { type: 'String' },
      ...CALLBACKS,
    },
    rules(o) {
      const out: Finding[] = [];
      // "纬度，范围为-90~90，负数表示南纬 … 缩放比例，范围5~18".
      if (typeof o.latitude === 'number' && Math.abs(o.latitude) > 90)
        out.push(reject('openLocation:fail invalid latitude'));
      if (typeof o.longitude === 'number' && Math.abs(o.longitude) > 180)
        out.push(reject('openLocation:fail invalid longitude'));
      if (typeof o.scale === 'number' && (o.scale < 5 || o.scale > 18))
        out.push(reject('openLocation:fail scale should be in 5~18'));
      return out;
    },
  },
  getLocation: {
    doc: `${DOCS}/location/wx.getLocation.html`,
    params: {
      type: { type: 'String', oneOf: ['wgs84', 'gcj02'] },
      altitude: { type: 'Boolean' },
      isHighAccuracy: { type: 'Boolean' },
      highAccuracyExpireTime: { type: 'Number' },
      ...CALLBACKS,
    },
  },
  chooseMedia: {
    doc: `${DOCS}/media/video/wx.chooseMedia.html`,
    params: {
      count: { type: 'Number' },
      mediaType: { type: 'Array' },
      sourceType: { type: 'Array' },
      maxDuration: { type: 'Number' },
      sizeType: { type: 'Array' },
      camera: { type: 'String', oneOf: ['back', 'front'] },
      ...CALLBACKS,
    },
    rules(o) {
      // "最多可以选择的文件个数，基础库2.25.0前，最多可支持9个文件，2.25.0及以后最多可支持20个文件".
      if (typeof o.count === 'number' && (o.count < 1 || o.count > 20))
        return [reject('chooseMedia:fail count should be in 1~20')];
      return [];
    },
  },
  setClipboardData: {
    doc: `${DOCS}/device/clipboard/wx.setClipboardData.html`,
    params: { data: { type: 'String', required: true }, ...CALLBACKS },
  },
  pageScrollTo: {
    doc: `${DOCS}/ui/scroll/wx.pageScrollTo.html`,
    params: {
      scrollTop: { type: 'Number' },
      duration: { type: 'Number' },
      selector: { type: 'String' },
      offsetTop: { type: 'Number' },
      ...CALLBACKS,
    },
    rules: (o) =>
      o.scrollTop === undefined && o.selector === undefined
        ? [reject('pageScrollTo:fail scrollTop or selector is required')]
        : [],
  },
  // "index: tabBar 的哪一项，从左边算起"; "text: 显示的文本，超过 4 个字符则显示成 ...".
  setTabBarBadge: {
    doc: `${DOCS}/ui/tab-bar/wx.setTabBarBadge.html`,
    params: {
      index: { type: 'Number', required: true },
      text: { type: 'String', required: true },
      ...CALLBACKS,
    },
    rules: (o, app) => [
      ...tabBarRules('setTabBarBadge', o.index, app),
      ...(typeof o.text === 'string' && [...o.text].length > 4
        ? [display(`setTabBarBadge text "${o.text}" is over 4 characters: WeChat shows "..."`)]
        : []),
    ],
  },
  removeTabBarBadge: {
    doc: `${DOCS}/ui/tab-bar/wx.removeTabBarBadge.html`,
    params: { index: { type: 'Number', required: true }, ...CALLBACKS },
    rules: (o, app) => tabBarRules('removeTabBarBadge', o.index, app),
  },
  stopPullDownRefresh: {
    doc: `${DOCS}/ui/pull-down-refresh/wx.stopPullDownRefresh.html`,
    params: { ...CALLBACKS },
  },
  'cloud.init': {
    doc: `${CLOUD_DOCS}/init/client.init.html`,
    // The current page marks env 必填; older pages (and a single-environment account) allow none.
    // The app passes none when built without LINLI_CLOUD_ENV, so it is not required here.
    params: { env: { type: ['String', 'Object'] }, traceUser: { type: 'Boolean' } },
  },
  'cloud.callFunction': {
    doc: `${CLOUD_DOCS}/functions/Cloud.callFunction.html`,
    params: {
      name: { type: 'String', required: true },
      data: { type: 'Object' },
      config: { type: 'Object' },
      slow: { type: 'Boolean' },
      ...CALLBACKS,
    },
  },
  'cloud.uploadFile': {
    doc: `${CLOUD_DOCS}/storage/uploadFile/client.uploadFile.html`,
    params: {
      cloudPath: { type: 'String', required: true },
      filePath: { type: 'String', required: true },
      config: { type: 'Object' },
      ...CALLBACKS,
    },
  },
};

function typeOf(value: unknown): WxType {
  if (typeof value === 'string') return 'String';
  if (typeof value === 'number') return 'Number';
  if (typeof value === 'boolean') return 'Boolean';
  if (typeof value === 'function') return 'Function';
  if (Array.isArray(value)) return 'Array';
  return 'Object';
}

function typeFinding(api: string, key: string, spec: ParamSpec, value: unknown): Finding | null {
  if (value === undefined || value === null) {
    return spec.required
      ? reject(
          `${api}:fail parameter error: parameter.${key} should be ${[spec.type].flat().join(' or ')} instead of ${value === null ? 'Null' : 'Undefined'};`,
        )
      : null;
  }
  const expected = [spec.type].flat();
  if (expected.includes('Any')) return null;
  const actual = typeOf(value);
  if (!expected.includes(actual))
    return reject(
      `${api}:fail parameter error: parameter.${key} should be ${expected.join(' or ')} instead of ${actual};`,
    );
  if (spec.oneOf && !spec.oneOf.includes(value as string | number))
    return reject(
      `${api}:fail parameter error: parameter.${key} should be one of ${spec.oneOf.join(', ')}, got «${String(value)}»;`,
    );
  return null;
}

/** The findings for one call of `api` with `args`; empty when WeChat would accept and show it as meant. */
export function checkWxCall(api: string, args: unknown[], app: AppFacts): Finding[] {
  const spec = WX_API_SPECS[api];
  if (!spec) return [];
  const out: Finding[] = [];
  let options: Record<string, unknown> = {};
  if (spec.positional) {
    spec.positional.forEach((p, i) => {
      const f = typeFinding(api, p.name, p, args[i]);
      if (f) out.push(f);
    });
  } else {
    const first = args[0];
    if (
      first !== undefined &&
      (typeof first !== 'object' || first === null || Array.isArray(first))
    ) {
      return [
        reject(
          `${api}:fail parameter error: parameter should be Object instead of ${typeOf(first)};`,
        ),
      ];
    }
    options = (first ?? {}) as Record<string, unknown>;
    for (const [key, p] of Object.entries(spec.params ?? {})) {
      const f = typeFinding(api, key, p, options[key]);
      if (f) out.push(f);
    }
  }
  if (out.some((f) => f.kind === 'reject')) return out;
  return [...out, ...(spec.rules?.(options, app, args) ?? [])];
}

/** The doc page an API's checks cite, for failure messages. */
export function docOf(api: string): string {
  return WX_API_SPECS[api]?.doc ?? '';
}

/**
 * The native <map> component's `markers` and `circles` (what WeChat draws), from the component's
 * attribute tables. A marker or circle with a wrong type is not drawn.
 */
export const MAP_COMPONENT_DOC =
  'https://developers.weixin.qq.com/miniprogram/dev/component/map.html';

const MARKER_FIELDS: Record<string, ParamSpec> = {
  id: { type: 'Number' },
  latitude: { type: 'Number', required: true },
  longitude: { type: 'Number', required: true },
  title: { type: 'String' },
  zIndex: { type: 'Number' },
  iconPath: { type: 'String', required: true },
  rotate: { type: 'Number' },
  alpha: { type: 'Number' },
  width: { type: ['Number', 'String'] },
  height: { type: ['Number', 'String'] },
  callout: { type: 'Object' },
  label: { type: 'Object' },
  anchor: { type: 'Object' },
  ariaLabel: { type: 'String' },
};
const LABEL_FIELDS: Record<string, ParamSpec> = {
  content: { type: 'String' },
  color: { type: 'String' },
  fontSize: { type: 'Number' },
  anchorX: { type: 'Number' },
  anchorY: { type: 'Number' },
  borderWidth: { type: 'Number' },
  borderColor: { type: 'String' },
  borderRadius: { type: 'Number' },
  bgColor: { type: 'String' },
  padding: { type: 'Number' },
  textAlign: { type: 'String', oneOf: ['left', 'right', 'center'] },
};
const CIRCLE_FIELDS: Record<string, ParamSpec> = {
  latitude: { type: 'Number', required: true },
  longitude: { type: 'Number', required: true },
  color: { type: 'String' },
  fillColor: { type: 'String' },
  radius: { type: 'Number', required: true },
  strokeWidth: { type: 'Number' },
  level: { type: 'String', oneOf: ['abovelabels', 'abovebuildings', 'aboveroads'] },
};
const HEX_COLOUR = /^#([0-9a-fA-F]{6}|[0-9a-fA-F]{8})$/;

function fieldFindings(
  what: string,
  item: unknown,
  fields: Record<string, ParamSpec>,
  colours: string[],
): Finding[] {
  if (typeof item !== 'object' || item === null)
    return [reject(`map: ${what} should be Object instead of ${typeOf(item)}`)];
  const record = item as Record<string, unknown>;
  const out: Finding[] = [];
  for (const [key, spec] of Object.entries(fields)) {
    const f = typeFinding('map', key, spec, record[key]);
    if (f)
      out.push(reject(f.message.replace('map:fail parameter error: parameter.', `map: ${what}.`)));
  }
  for (const key of colours) {
    const c = record[key];
    if (typeof c === 'string' && !HEX_COLOUR.test(c))
      out.push(
        reject(
          `map: ${what}.${key} should be a hexadecimal colour (#RRGGBB or #RRGGBBAA), got «${c}»`,
        ),
      );
  }
  return out;
}

/** Findings for the markers and circles handed to a native <map>. */
export function checkMapProps(props: { markers?: unknown; circles?: unknown }): Finding[] {
  const out: Finding[] = [];
  const list = (name: string, value: unknown) => {
    if (value !== undefined && !Array.isArray(value))
      out.push(reject(`map: ${name} should be Array instead of ${typeOf(value)}`));
    return Array.isArray(value) ? value : [];
  };
  list('markers', props.markers).forEach((m, i) => {
    out.push(...fieldFindings(`markers[${i}]`, m, MARKER_FIELDS, []));
    const label = (m as { label?: unknown }).label;
    if (label !== undefined)
      out.push(
        ...fieldFindings(`markers[${i}].label`, label, LABEL_FIELDS, [
          'color',
          'borderColor',
          'bgColor',
        ]),
      );
    const { latitude, longitude } = m as { latitude?: unknown; longitude?: unknown };
    if (typeof latitude === 'number' && Math.abs(latitude) > 90)
      out.push(reject(`map: markers[${i}].latitude out of range (${latitude})`));
    if (typeof longitude === 'number' && Math.abs(longitude) > 180)
      out.push(reject(`map: markers[${i}].longitude out of range (${longitude})`));
  });
  list('circles', props.circles).forEach((c, i) =>
    out.push(...fieldFindings(`circles[${i}]`, c, CIRCLE_FIELDS, ['color', 'fillColor'])),
  );
  return out;
}
