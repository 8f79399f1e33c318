/**
 * Runs the BUILT mini-program (dist/) in miniprogram-simulate with WeChat's own `wcc` template
 * compiler. What a real WeChat client provides and the simulator does not is supplied here:
 * - a DOM (jsdom, as globals: the simulator and j-component render into it);
 * - `App` / `getApp`, and `Page` adapted to `Component` (WeChat pages are components with
 *   page lifetimes: attached → onLoad + onShow, ready → onReady, detached → onUnload);
 * - `wx.cloud` and the navigation APIs, from ./fake-wx (the network edge, faked).
 * Nothing in dist/ is changed or mocked: the real Taro runtime, React and the app's code run.
 */
import fs from 'node:fs';
import path from 'node:path';
import { JSDOM } from 'jsdom';
import type { FakeWx } from './fake-wx';

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
  load: (componentPath: string, tagName: string, options: { compiler: 'official'; rootPath: string }) => string;
  render: (id: string, properties?: Record<string, unknown>) => RenderedComponent;
}

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
    globals[key] = typeof value === 'function' && !/^[A-Z]/.test(key) ? (value as (...args: unknown[]) => unknown).bind(window) : value;
  }
  // The simulator and wcc's output use `window.x` and bare `x` interchangeably.
  globals.window = globalThis;
  globals.document = dom.window.document;
  globals.navigator = dom.window.navigator;
}

export interface MiniProgram {
  /** Open a page as WeChat would (route without a leading slash, query as onLoad receives it). */
  openPage: (route: string, query?: Record<string, string>) => Promise<RenderedComponent>;
  /** Unload every open page (onUnload), as leaving them would. */
  closeAll: () => void;
  fakeWx: FakeWx;
}

export interface LaunchOptions {
  /** The weapp build output; its app.json must exist. */
  distDir: string;
  fakeWx: FakeWx;
}

/**
 * Prepare globals, run dist/app.js (App → onLaunch → onShow) and return a way to open pages.
 * Call once per process: the bundle registers itself on `wx.webpackJsonp` and cannot be reloaded.
 */
export function launchMiniProgram({ distDir, fakeWx }: LaunchOptions): MiniProgram {
  const root = path.resolve(distDir);
  if (!fs.existsSync(path.join(root, 'app.json'))) {
    throw new Error(`${root}/app.json not found: build the mini-program first (npx taro build --type weapp)`);
  }
  installDom();
  const globals = globalThis as unknown as Record<string, unknown>;
  // Set before the simulator loads: it merges its own mock APIs under ours.
  globals.wx = fakeWx.api;

  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const simulate = require('miniprogram-simulate') as Simulate;

  let appInstance: AppOptions | null = null;
  globals.App = (options: AppOptions) => {
    appInstance = options;
  };
  globals.getApp = () => appInstance;
  globals.getCurrentPages = () => [...openPages];

  const openPages: PageInstance[] = [];
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
          if (!opening) throw new Error('Page attached outside openPage()');
          this.route = opening.route;
          this.options = opening.query;
          openPages.push(this);
          call(this, 'onLoad', { ...opening.query });
          call(this, 'onShow');
        },
        ready(this: PageInstance) {
          call(this, 'onReady');
        },
        detached(this: PageInstance) {
          call(this, 'onUnload');
          openPages.splice(openPages.indexOf(this), 1);
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

  const pageIds = new Map<string, string>();
  const rendered: RenderedComponent[] = [];
  return {
    fakeWx,
    closeAll() {
      while (rendered.length > 0) rendered.pop()?.detach();
    },
    async openPage(route, query = {}) {
      const file = path.join(root, route);
      if (!fs.existsSync(`${file}.json`)) throw new Error(`no page ${route} in ${root}`);
      // A page's code runs once per process (it is a webpack chunk); later opens reuse its definition,
      // as WeChat does when the same page is opened again.
      let id = pageIds.get(route);
      if (!id) {
        id = simulate.load(file, route.replace(/\W/g, '-'), { compiler: 'official', rootPath: root });
        pageIds.set(route, id);
      }
      const page = simulate.render(id);
      rendered.push(page);
      opening = { route, query };
      try {
        page.attach(document.createElement('page-wrapper'));
      } finally {
        opening = null;
      }
      // Taro mounts the page through React asynchronously; let the first render settle.
      await new Promise((resolve) => setTimeout(resolve, 0));
      return page;
    },
  };
}

interface Exparser {
  Event: {
    create: (name: string, detail: unknown, options: { bubbles: boolean; composed: boolean }) => unknown;
    dispatchEvent: (target: unknown, event: unknown) => void;
  };
}

/**
 * Fire a component event (e.g. a switch's `change`) on the first element matching `selector` in the
 * page's rendered DOM, through the simulator's event system, so Taro's `eh` handler gets it as
 * WeChat would deliver it. Tags are the simulator's (`wx-switch`, `wx-button`, …).
 */
export function trigger(page: RenderedComponent, selector: string, eventName: string, detail: unknown = {}): void {
  const element = page.dom.querySelector(selector) as (Element & { __wxElement?: unknown }) | null;
  if (!element?.__wxElement) throw new Error(`no element "${selector}" in the rendered page`);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const exparser = require('miniprogram-exparser') as Exparser;
  exparser.Event.dispatchEvent(element.__wxElement, exparser.Event.create(eventName, detail, { bubbles: true, composed: true }));
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
  timeoutMs = 5_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate(page.dom)) {
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; page DOM: «${page.dom.outerHTML.slice(0, 800)}»`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Wait until `predicate` holds for the page's text (async cloud calls, React commits). */
export async function waitForText(
  page: RenderedComponent,
  predicate: (text: string) => boolean,
  what: string,
  timeoutMs = 5_000,
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let text = renderedText(page);
  while (!predicate(text)) {
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; page text: «${text.slice(0, 800)}»`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
    text = renderedText(page);
  }
  return text;
}
