/**
 * Runs the BUILT mini-program (dist/) in miniprogram-simulate with WeChat's own `wcc` template
 * compiler. What a real WeChat client provides and the simulator does not is supplied here:
 * - a DOM (jsdom, as globals: the simulator and j-component render into it);
 * - `App` / `getApp`, and `Page` adapted to `Component` (WeChat pages are components with
 *   page lifetimes: attached → onLoad + onShow, ready → onReady, detached → onUnload);
 * - `wx` itself, from ./fake-wx: one person's phone, whose callFunction runs the built functions.
 * Nothing in dist/ is changed or mocked: the real Taro runtime, React and the app's code run.
 */
import fs from 'node:fs';
import path from 'node:path';
import { JSDOM } from 'jsdom';
import type { Phone } from './fake-wx';

type AnyFunction = (this: PageInstance, ...args: unknown[]) => unknown;
type PageOptions = Record<string, unknown> & { data?: Record<string, unknown> };
type AppOptions = Record<string, unknown>;

interface PageInstance {
  route: string;
  options: Record<string, string>;
  setData: (data: Record<string, unknown>, cb?: () => void) => void;
  [key: string]: unknown;
}

/** The j-component instance that `simulate.render` returns; only what the tests use. */
export interface RenderedComponent {
  dom: Element;
  instance: PageInstance;
  attach: (parent: Element) => void;
  detach: () => void;
  toJSON: () => unknown;
}

interface Simulate {
  load: (
    componentPath: string,
    tagName: string,
    options: { compiler: 'official'; rootPath: string },
  ) => string;
  render: (id: string, properties?: Record<string, unknown>) => RenderedComponent;
}

/** Whether a rendered button is disabled (set by the launched mini-program, which knows its data). */
let buttonState: (element: Element) => boolean = () => false;

/** Make a jsdom window the global environment, as jest's jsdom environment does. */
function installDom(): void {
  const dom = new JSDOM('<!doctype html><html><head></head><body></body></html>', {
    url: 'https://servicewechat.com/touristappid/devtools/page-frame.html',
    pretendToBeVisual: true,
  });
  const window = dom.window as unknown as Record<string, unknown>;
  const globals = globalThis as unknown as Record<string, unknown>;
  for (const key of Object.getOwnPropertyNames(window)) {
    if (key in globals) continue;
    const value = window[key];
    globals[key] =
      typeof value === 'function' && !/^[A-Z]/.test(key)
        ? (value as (...args: unknown[]) => unknown).bind(window)
        : value;
  }
  // The simulator and wcc's output use `window.x` and bare `x` interchangeably.
  globals.window = globalThis;
  globals.document = dom.window.document;
  globals.navigator = dom.window.navigator;
}

export interface MiniProgram {
  /** Close every page and open `route` (no leading slash), as wx.reLaunch or a scan of a code would. */
  reLaunch: (route: string, query?: Record<string, string>) => Promise<RenderedComponent>;
  /** The page on top of the stack (what the person sees). */
  current: () => RenderedComponent;
  /** Wait until the page on top is `route` (after a tap that navigates), and return it. */
  waitForPage: (route: string, timeoutMs?: number) => Promise<RenderedComponent>;
  /** Routes on the stack, bottom first. */
  stack: () => string[];
  /** The person taps ‹ in the navigation bar: the top page closes, the one below shows again. */
  back: () => Promise<RenderedComponent>;
  /** Unload every open page (onUnload), as leaving them would. */
  closeAll: () => void;
  phone: Phone;
}

export interface LaunchOptions {
  /** The weapp build output; its app.json must exist. */
  distDir: string;
  phone: Phone;
}

interface OpenPage {
  route: string;
  page: RenderedComponent;
}

/** Subpackages one page may preload, in total (WeChat's limit). */
const PRELOAD_LIMIT_BYTES = 2 * 1024 * 1024;

function folderBytes(dir: string): number {
  if (!fs.existsSync(dir)) return 0;
  return fs.readdirSync(dir, { withFileTypes: true }).reduce((sum, e) => {
    const p = path.join(dir, e.name);
    return sum + (e.isDirectory() ? folderBytes(p) : fs.statSync(p).size);
  }, 0);
}

/**
 * What WeChat checks of `preloadRule` (the 分包预下载 docs): each key a page of the app, `network`
 * "all" or "wifi", each package a subpackage's root (or name), and at most 2 MB of subpackages
 * preloaded by one page.
 */
export function preloadRuleProblems(
  appJson: {
    pages: string[];
    subPackages?: Array<{ root: string; name?: string; pages: string[] }>;
    preloadRule?: Record<string, { network?: string; packages: string[] }>;
  },
  root: string,
): string[] {
  const problems: string[] = [];
  const pages = new Set([
    ...appJson.pages,
    ...(appJson.subPackages ?? []).flatMap((p) => p.pages.map((x) => `${p.root}/${x}`)),
  ]);
  const packages = new Map<string, string>();
  for (const sub of appJson.subPackages ?? []) {
    packages.set(sub.root, sub.root);
    if (sub.name) packages.set(sub.name, sub.root);
  }
  for (const [page, rule] of Object.entries(appJson.preloadRule ?? {})) {
    if (!pages.has(page)) problems.push(`${page} is not a page`);
    if (rule.network !== undefined && rule.network !== 'all' && rule.network !== 'wifi')
      problems.push(`${page}: network must be "all" or "wifi"`);
    let bytes = 0;
    for (const name of rule.packages) {
      const folder = packages.get(name);
      if (!folder) problems.push(`${page}: ${name} is not a subpackage`);
      else bytes += folderBytes(path.join(root, folder));
    }
    if (bytes > PRELOAD_LIMIT_BYTES)
      problems.push(`${page} preloads ${(bytes / 1024).toFixed(0)} KB, over 2048 KB`);
  }
  return problems;
}

/**
 * Prepare globals, run dist/app.js (App → onLaunch → onShow) and return the page stack.
 * Call once per process: the bundle registers itself on `wx.webpackJsonp` and cannot be reloaded.
 * wx.navigateTo / redirectTo / switchTab / reLaunch / navigateBack from the app move this stack
 * as WeChat's would (onHide / onShow / onUnload of the pages they cover, uncover or close).
 */
export function launchMiniProgram({ distDir, phone }: LaunchOptions): MiniProgram {
  const root = path.resolve(distDir);
  if (!fs.existsSync(path.join(root, 'app.json'))) {
    throw new Error(
      `${root}/app.json not found: build the mini-program first (npx taro build --type weapp)`,
    );
  }
  const appJson = JSON.parse(fs.readFileSync(path.join(root, 'app.json'), 'utf8')) as {
    pages: string[];
    subPackages?: Array<{ root: string; pages: string[] }>;
    tabBar?: { list: Array<{ pagePath: string }> };
    preloadRule?: Record<string, { network?: string; packages: string[] }>;
  };
  const allPages = new Set([
    ...appJson.pages,
    ...(appJson.subPackages ?? []).flatMap((p) => p.pages.map((x) => `${p.root}/${x}`)),
  ]);
  const preloadProblems = preloadRuleProblems(appJson, root);
  if (preloadProblems.length > 0)
    throw new Error(`app.json preloadRule, as WeChat refuses it: ${preloadProblems.join('; ')}`);
  const tabPages = new Set((appJson.tabBar?.list ?? []).map((t) => t.pagePath));
  installDom();
  const globals = globalThis as unknown as Record<string, unknown>;
  // Set before the simulator loads: it merges its own mock APIs under ours.
  globals.wx = phone.api;

  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const simulate = require('miniprogram-simulate') as Simulate;
  // The simulator's own mock APIs (system info, selector queries, …) answer what the phone does
  // not provide; calls to them are recorded too, so a journey can see every API the app used.
  const merged = globals.wx as Record<string, unknown>;
  for (const [name, value] of Object.entries(merged)) {
    if (typeof value !== 'function' || Object.prototype.hasOwnProperty.call(phone.api, name))
      continue;
    merged[name] = (...args: unknown[]) => {
      phone.calls.push(name);
      return (value as (...a: unknown[]) => unknown)(...args);
    };
  }

  let appInstance: AppOptions | null = null;
  globals.App = (options: AppOptions) => {
    appInstance = options;
  };
  globals.getApp = () => appInstance;
  const stack: OpenPage[] = [];
  globals.getCurrentPages = () => stack.map((p) => p.page.instance);

  let opening: { route: string; query: Record<string, string> } | null = null;

  globals.Page = (pageOptions: PageOptions) => {
    const methods: Record<string, AnyFunction> = {};
    for (const [key, value] of Object.entries(pageOptions)) {
      if (typeof value === 'function') methods[key] = value as AnyFunction;
    }
    const call = (page: PageInstance, name: string, ...args: unknown[]) => {
      const fn = page[name];
      if (typeof fn === 'function') (fn as AnyFunction).call(page, ...args);
    };
    const component = globals.Component as (definition: Record<string, unknown>) => void;
    component({
      data: pageOptions.data ?? {},
      methods,
      lifetimes: {
        attached(this: PageInstance) {
          if (!opening) throw new Error('Page attached outside the page stack');
          this.route = opening.route;
          this.options = opening.query;
          call(this, 'onLoad', { ...opening.query });
          call(this, 'onShow');
        },
        ready(this: PageInstance) {
          call(this, 'onReady');
        },
        detached(this: PageInstance) {
          call(this, 'onUnload');
        },
      },
    });
  };

  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require(path.join(root, 'app.js'));
  if (!appInstance) throw new Error('dist/app.js did not call App()');
  const app = appInstance as AppOptions;
  const launch = { path: 'pages/index/index', query: {}, scene: 1001, referrerInfo: {} };
  for (const hook of ['onLaunch', 'onShow'] as const) {
    const fn = app[hook];
    if (typeof fn === 'function') (fn as (o: unknown) => void).call(app, launch);
  }

  // WeChat fires no tap on a disabled button; Taro keeps `disabled` under a short key in each
  // node's data, named in base.wxml's button template (e.g. disabled="{{i.p2}}").
  const disabledKey =
    /<button [^>]*\bdisabled="\{\{i\.(\w+)\}\}"/.exec(
      fs.readFileSync(path.join(root, 'base.wxml'), 'utf8'),
    )?.[1] ?? null;
  buttonState = (element) => {
    if (!disabledKey || element.tagName !== 'WX-BUTTON') return false;
    const sid = element.getAttribute('data-sid');
    const owner = stack.find((p) => p.page.dom.contains(element));
    if (!sid || !owner) return false;
    const nodes: unknown[] = [owner.page.instance.data];
    while (nodes.length > 0) {
      const node = nodes.pop();
      if (!node || typeof node !== 'object') continue;
      const record = node as Record<string, unknown>;
      if (record.sid === sid) return Boolean(record[disabledKey]);
      for (const value of Object.values(record))
        if (value && typeof value === 'object') nodes.push(value);
    }
    return false;
  };

  const pageIds = new Map<string, string>();
  const lifecycle = (p: OpenPage | undefined, name: 'onShow' | 'onHide') => {
    const fn = p?.page.instance[name];
    if (typeof fn === 'function') (fn as AnyFunction).call(p!.page.instance);
  };
  const closeTop = () => {
    const top = stack.pop();
    top?.page.detach();
  };

  function push(route: string, query: Record<string, string>): RenderedComponent {
    const file = path.join(root, route);
    if (!fs.existsSync(`${file}.json`)) throw new Error(`no page ${route} in ${root}`);
    // A page's code runs once per process (it is a webpack chunk); later opens reuse its definition,
    // as WeChat does when the same page is opened again.
    let id = pageIds.get(route);
    if (!id) {
      id = simulate.load(file, route.replace(/\W/g, '-'), { compiler: 'official', rootPath: root });
      pageIds.set(route, id);
    }
    lifecycle(stack[stack.length - 1], 'onHide');
    const page = simulate.render(id);
    stack.push({ route, page });
    opening = { route, query };
    try {
      page.attach(document.createElement('page-wrapper'));
    } finally {
      opening = null;
    }
    return page;
  }

  phone.app = {
    pages: allPages,
    tabPages,
    stackDepth: () => stack.length,
    currentRoute: () => stack[stack.length - 1]?.route ?? '',
  };
  phone.navigator = {
    depth: () => stack.length,
    open(route, query, how) {
      if (how === 'redirectTo') closeTop();
      if (how === 'reLaunch' || how === 'switchTab') while (stack.length > 0) closeTop();
      push(route, query);
    },
    back(delta) {
      for (let i = 0; i < delta && stack.length > 1; i++) closeTop();
      lifecycle(stack[stack.length - 1], 'onShow');
    },
  };

  const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
  const mp: MiniProgram = {
    phone,
    closeAll() {
      while (stack.length > 0) closeTop();
    },
    async reLaunch(route, query = {}) {
      while (stack.length > 0) closeTop();
      const page = push(route, query);
      // Taro mounts the page through React asynchronously; let the first render settle.
      await settle();
      return page;
    },
    current() {
      const top = stack[stack.length - 1];
      if (!top) throw new Error('no page is open');
      return top.page;
    },
    stack: () => stack.map((p) => p.route),
    async back() {
      if (stack.length < 2) throw new Error('no page to go back to');
      phone.navigator?.back(1);
      await settle();
      return mp.current();
    },
    async waitForPage(route, timeoutMs = 8_000) {
      const deadline = Date.now() + timeoutMs;
      while (stack[stack.length - 1]?.route !== route) {
        if (Date.now() > deadline)
          throw new Error(
            `timed out after ${timeoutMs} ms waiting for page ${route}; stack: ${mp.stack().join(' › ') || '(empty)'}`,
          );
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await settle();
      return stack[stack.length - 1].page;
    },
  };
  return mp;
}

interface Exparser {
  Event: {
    create: (
      name: string,
      detail: unknown,
      options: { bubbles: boolean; composed: boolean },
    ) => unknown;
    dispatchEvent: (target: unknown, event: unknown) => void;
  };
}

/** Fire a component event on `element` through the simulator's event system (bubbling, as WeChat does). */
export function fire(element: Element, eventName: string, detail: unknown = {}): void {
  const target = (element as Element & { __wxElement?: unknown }).__wxElement;
  if (!target) throw new Error(`<${element.tagName.toLowerCase()}> is not a rendered component`);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const exparser = require('miniprogram-exparser') as Exparser;
  exparser.Event.dispatchEvent(
    target,
    exparser.Event.create(eventName, detail, { bubbles: true, composed: true }),
  );
}

/**
 * Fire a component event (e.g. a switch's `change`) on the first element matching `selector` in the
 * page's rendered DOM, so Taro's `eh` handler gets it as WeChat would deliver it. Tags are the
 * simulator's (`wx-switch`, `wx-button`, …).
 */
export function trigger(
  page: RenderedComponent,
  selector: string,
  eventName: string,
  detail: unknown = {},
): void {
  const element = page.dom.querySelector(selector);
  if (!element) throw new Error(`no element "${selector}" in the rendered page`);
  fire(element, eventName, detail);
}

const flat = (text: string | null | undefined) => (text ?? '').replace(/\s+/g, ' ').trim();

/** Elements matching `selector` (under `root`) whose text contains `text`, innermost first. */
export function findAll(
  root: Element | RenderedComponent,
  selector: string,
  text?: string | RegExp,
): Element[] {
  const base = 'dom' in root ? root.dom : root;
  const matches = [...base.querySelectorAll(selector)].filter((e) => {
    if (text === undefined) return true;
    const t = flat(e.textContent);
    return typeof text === 'string' ? t.includes(text) : text.test(t);
  });
  const depth = (e: Element) => {
    let n = 0;
    for (let p = e.parentElement; p; p = p.parentElement) n++;
    return n;
  };
  // Innermost: the shortest text, and of equal texts the deepest element (a button, not its row).
  return matches.sort(
    (a, b) => flat(a.textContent).length - flat(b.textContent).length || depth(b) - depth(a),
  );
}

/** The innermost element matching `selector` whose text contains `text`; throws with the page text when none. */
export function find(
  root: Element | RenderedComponent,
  selector: string,
  text?: string | RegExp,
): Element {
  const found = findAll(root, selector, text)[0];
  if (!found) {
    const base = 'dom' in root ? root.dom : root;
    throw new Error(
      `no ${selector}${text === undefined ? '' : ` with text ${String(text)}`}; text here: «${flat(base.textContent).slice(0, 600)}»`,
    );
  }
  return found;
}

/** Tap the button (or other `selector`) whose text contains `text`, as a finger would. */
export function tap(
  root: Element | RenderedComponent,
  text: string | RegExp,
  selector = 'wx-button',
): void {
  const element = find(root, selector, text);
  if (buttonState(element))
    throw new Error(`${selector} «${flat(element.textContent)}» is disabled: WeChat sends no tap`);
  fire(element, 'tap', { x: 0, y: 0 });
}

/** The first input (or textarea) after the label whose text contains `label`, as a form lays them out. */
export function inputAfter(root: Element | RenderedComponent, label: string): Element {
  const labelElement = find(root, 'wx-text', label);
  for (let e = labelElement.nextElementSibling; e; e = e.nextElementSibling) {
    if (/^WX-(INPUT|TEXTAREA)$/.test(e.tagName)) return e;
    const inner = e.querySelector('wx-input, wx-textarea');
    if (inner) return inner;
  }
  throw new Error(`no input after the label «${label}»`);
}

/**
 * Tap like a person: wait (up to `timeoutMs`) until the button is there and enabled — a busy
 * button is greyed while its request is in flight — then tap it.
 */
export async function press(
  root: Element | RenderedComponent,
  text: string | RegExp,
  selector = 'wx-button',
  timeoutMs = 8_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const element = findAll(root, selector, text)[0];
    if (element && !buttonState(element)) {
      fire(element, 'tap', { x: 0, y: 0 });
      return;
    }
    if (Date.now() > deadline) {
      tap(root, text, selector); // throws with what is there (missing or disabled)
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Type `value` into an input or textarea, as the keyboard's input event delivers it. */
export function typeInto(element: Element, value: string): void {
  fire(element, 'input', { value, cursor: value.length, keyCode: 0 });
  fire(element, 'blur', { value });
}

/** The visible text of a rendered page: the simulator's DOM, whitespace collapsed. */
export function renderedText(page: RenderedComponent): string {
  return (page.dom.textContent ?? '').replace(/\s+/g, ' ').trim();
}

/** Wait until `predicate` holds for the page's rendered DOM (class changes, attributes). */
export async function waitForDom(
  page: RenderedComponent,
  predicate: (root: Element) => boolean,
  what: string,
  timeoutMs = 8_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate(page.dom)) {
    if (Date.now() > deadline) {
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}; page DOM: «${page.dom.outerHTML.slice(0, 800)}»`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Wait until `predicate` holds for the page's text (async cloud calls, React commits). */
export async function waitForText(
  page: RenderedComponent,
  predicate: (text: string) => boolean,
  what: string,
  timeoutMs = 8_000,
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let text = renderedText(page);
  while (!predicate(text)) {
    if (Date.now() > deadline) {
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}; page text: «${text.slice(0, 800)}»`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
    text = renderedText(page);
  }
  return text;
}
