/**
 * (e) 生活圈 on the native map, and the resident's 首页 and 我的, through the real functions over the
 * seeded sample data: the walking bands are the map's `circles` (5/10/15 minutes at the adult pace),
 * every place within 15 minutes is a `marker`, 去这里 hands the place to wx.openLocation, and
 * 用我的位置 moves the bands to the phone once the person allows it.
 */
import { bandRadiusMetres, walkingMinutes } from '../../../src/domain/circle/walking';
import { SAMPLE_SPACE } from '../../../local/seed/data';
import { expect } from '../../support/runner';
import { eventually, type Journey } from '../journey';
import {
  find,
  findAll,
  fire,
  press,
  renderedText,
  trigger,
  waitForDom,
  waitForText,
  type RenderedComponent,
} from '../simulator';
import { checkMapProps, MAP_COMPONENT_DOC } from '../wx-api-checks';

interface Marker {
  id: number;
  latitude: number;
  longitude: number;
  title: string;
  iconPath: string;
}
interface Circle {
  latitude: number;
  longitude: number;
  radius: number;
}

/**
 * The circles and markers Taro hands the native <map> (what WeChat would draw). Taro's data tree
 * keeps each node's props under short keys (`p14`, `p17`, …), so they are recognised by shape:
 * circles carry a `radius`, markers an `iconPath`.
 */
function mapProperties(page: RenderedComponent): { circles?: unknown[]; markers?: unknown[] } {
  const arrayOf = (node: Record<string, unknown>, field: string) =>
    Object.values(node).find(
      (v): v is unknown[] =>
        Array.isArray(v) &&
        v.length > 0 &&
        typeof v[0] === 'object' &&
        v[0] !== null &&
        field in v[0],
    );
  const stack: unknown[] = [page.instance.data];
  while (stack.length > 0) {
    const node = stack.pop();
    if (!node || typeof node !== 'object') continue;
    const record = node as Record<string, unknown>;
    if (typeof record.cl === 'string' && record.cl.includes('circle-map--native')) {
      return { circles: arrayOf(record, 'radius'), markers: arrayOf(record, 'iconPath') };
    }
    for (const value of Object.values(record))
      if (value && typeof value === 'object') stack.push(value);
  }
  return {};
}

/** A stored geo point as the SDK reads it back: a Point instance or GeoJSON. */
function latLngOf(location: unknown): { latitude: number; longitude: number } {
  const l = location as { latitude?: number; longitude?: number; coordinates?: [number, number] };
  if (typeof l.latitude === 'number' && typeof l.longitude === 'number')
    return { latitude: l.latitude, longitude: l.longitude };
  if (Array.isArray(l.coordinates))
    return { latitude: l.coordinates[1], longitude: l.coordinates[0] };
  throw new Error(`unreadable stored location ${JSON.stringify(location)}`);
}

export const homeJourneys: Journey[] = [
  {
    name: "circle: 生活圈 draws the 5/10/15-minute bands as map circles and every place within 15 minutes as a marker; 去这里 opens WeChat's location, 我需要 records a missing service, 用我的位置 moves the bands",
    persona: 'resident',
    async run(ctx) {
      const page = await ctx.mp.reLaunch('pages/circle/index');
      await waitForText(page, (t) => t.includes('分钟'), 'the places with their walking minutes');
      await waitForDom(page, (root) => root.querySelector('wx-map') !== null, 'the native map');
      const stored = await ctx.stored<{ name: string; location: unknown }>('circle_places', {});
      const space = SAMPLE_SPACE.location;
      const within = stored.filter(
        (p) => walkingMinutes(space, latLngOf(p.location), 'adult') <= 15,
      );
      expect(
        within.length > 0,
        `the seed should have places within 15 minutes of the space, stored ${stored.length}`,
      );

      const props = await eventually(async () => {
        const p = mapProperties(page);
        return p.markers && p.markers.length === within.length ? p : null;
      }, `${within.length} markers on the map`).catch(() => {
        throw new Error(
          `expected ${within.length} markers (stored places within 15 minutes), the map has ${mapProperties(page).markers?.length ?? 0}`,
        );
      });
      const findings = checkMapProps(props);
      expect(
        findings.length === 0,
        `WeChat would not draw these map props as meant (${MAP_COMPONENT_DOC}):\n${findings.map((f) => `  ${f.message}`).join('\n')}`,
      );

      const circles = props.circles as Circle[];
      expect(circles.length === 3, `expected 3 band circles, got ${JSON.stringify(circles)}`);
      const radii = circles.map((c) => c.radius).sort((a, b) => a - b);
      const expected = [5, 10, 15].map((m) => Math.round(bandRadiusMetres(m, 'adult')));
      expect(
        JSON.stringify(radii) === JSON.stringify(expected),
        `band radii should be ${expected.join(', ')} m (5/10/15 min at 80 m/min ÷ 1.3), got ${radii.join(', ')}`,
      );
      expect(
        circles.every(
          (c) =>
            Math.abs(c.latitude - space.latitude) < 1e-9 &&
            Math.abs(c.longitude - space.longitude) < 1e-9,
        ),
        'the bands should be centred on the space',
      );

      const markers = props.markers as Marker[];
      const names = new Set(markers.map((m) => m.title));
      for (const p of within)
        expect(
          names.has(p.name),
          `the place «${p.name}» (within 15 minutes) has no marker; markers: ${[...names].join('、')}`,
        );
      expect(
        markers.every((m) => m.iconPath === '/assets/map/pin.png'),
        'every marker should use the bundled pin icon',
      );

      // Tapping a marker selects its place; 去这里 hands it to WeChat.
      const first = markers[0];
      fire(find(page, 'wx-map'), 'markertap', { markerId: first.id });
      await waitForText(page, (t) => t.includes('去这里'), 'the place card with 去这里');
      const card = findAll(page, '[class*="place-card"]', '去这里').find((e) =>
        (e.textContent ?? '').includes(first.title),
      );
      expect(card, `the place card should show the tapped marker's place ${first.title}`);
      await press(page, '去这里');
      await eventually(async () => ctx.phone.calls.includes('openLocation'), 'wx.openLocation');

      // A category missing within 15 minutes: 我需要 records the resident's request, once.
      await waitForText(page, (t) => t.includes('我需要'), 'a missing category with 我需要');
      await press(page, /^我需要$/);
      await eventually(
        async () => ctx.phone.toasts.find((t) => t.title === '已提交需求'),
        'the 已提交需求 toast',
      );
      const requests = await ctx.stored<{ category: string }>('circle_requests', {
        _openid: ctx.phone.openid,
      });
      expect(
        requests.length === 1,
        `one request stored for 张三, found ${JSON.stringify(requests)}`,
      );
      await waitForText(page, (t) => t.includes('已提需求'), 'the category marked 已提需求');

      // 用我的位置: refused first (the map stays on the space), then allowed (the bands follow the phone).
      ctx.phone.location = null;
      await press(page, '用我的位置', 'wx-text, wx-view, wx-button');
      await eventually(
        async () => ctx.phone.toasts.find((t) => t.title === '未获得位置，仍以空间为中心'),
        'the refusal toast',
      );
      const here = { latitude: space.latitude + 0.002, longitude: space.longitude + 0.001 };
      ctx.phone.location = here;
      await press(page, '用我的位置', 'wx-text, wx-view, wx-button');
      await waitForText(
        page,
        (t) => t.includes('以「我的位置」为中心'),
        'the map centred on the phone',
      );
      const moved = await eventually(async () => {
        const c = mapProperties(page).circles as Circle[] | undefined;
        return c && c.every((x) => Math.abs(x.latitude - here.latitude) < 1e-6) ? c : null;
      }, 'the bands centred on the phone');
      expect(moved.length === 3, `3 bands around the phone, got ${moved.length}`);
      expect(ctx.phone.calls.includes('getLocation'), 'the location comes from wx.getLocation');
    },
  },
  {
    name: 'home: 首页 shows the sample space and what is open now',
    persona: 'resident',
    async run(ctx) {
      const page = await ctx.mp.reLaunch('pages/index/index');
      const text = await waitForText(
        page,
        (t) => t.includes(SAMPLE_SPACE.name),
        `the space name ${SAMPLE_SPACE.name}`,
      );
      expect(
        /\d+\s*\/\s*\d+ 项服务现在开放/.test(text),
        `expected the summary "N / M 项服务现在开放" in «${text.slice(0, 300)}»`,
      );
      expect(
        text.includes('24小时共享健身房（示例）'),
        `the always-open gym should be listed: «${text.slice(0, 300)}»`,
      );
      expect(!text.includes('欢迎来到'), 'no welcome line when not opened from the entrance code');
      // Open services come first; what is closed at this hour (if anything) follows under 暂未开放.
      const closedAt = text.indexOf('暂未开放');
      if (closedAt >= 0)
        expect(
          text.indexOf('24小时共享健身房（示例）') < closedAt,
          `open services should come before 暂未开放: «${text.slice(0, 400)}»`,
        );
      const spaceCall = ctx.phone.cloudCalls
        .filter((c) => c.name === 'booking' && c.action === 'space')
        .pop();
      expect(
        spaceCall?.ok === true,
        `expected booking.space answered ok, saw ${JSON.stringify(spaceCall)}`,
      );
    },
  },
  {
    name: 'me: 我的 shows 张三 as 居民; turning on 长辈模式 is stored and enlarges the page',
    persona: 'resident',
    async run(ctx) {
      const page = await ctx.mp.reLaunch('pages/me/index');
      const text = await waitForText(
        page,
        (t) => t.includes('居民') && t.includes('长辈模式'),
        'the role and the elder-mode switch',
      );
      expect(text.includes('张三'), `expected the nickname 张三 in «${text.slice(0, 300)}»`);
      expect(
        !text.includes('切换示例身份'),
        'the H5-only persona switch must not be in the weapp build',
      );
      const shell = () => page.dom.querySelector('[class*="page-shell"]')?.className ?? '';
      expect(
        !/--elder\b/.test(shell()),
        `elder mode should start off, page shell class "${shell()}"`,
      );
      trigger(page, 'wx-switch', 'change', { value: true });
      await waitForDom(page, () => /--elder\b/.test(shell()), 'the page shell in elder mode');
      const user = await eventually(async () => {
        const [doc] = await ctx.stored<{ profile: { elderMode: boolean } }>('users', {
          _id: ctx.phone.openid,
        });
        return doc?.profile.elderMode ? doc : null;
      }, "elderMode stored on 张三's profile");
      expect(user.profile.elderMode, 'elderMode stored');
      trigger(page, 'wx-switch', 'change', { value: false });
      await waitForDom(page, () => !/--elder\b/.test(shell()), 'the page shell back to normal');
    },
  },
  {
    name: 'home: a bookable row opens its slots (no H5 back bar on weapp); returning to 首页 opened from the entrance reads the check-in card again',
    persona: 'resident',
    async run(ctx) {
      const page = await ctx.mp.reLaunch('pages/index/index', {
        scene: encodeURIComponent('s=r29'),
      });
      await waitForText(page, (t) => t.includes('欢迎来到'), 'the welcome of the entrance code');
      const checkInCalls = () =>
        ctx.phone.cloudCalls.filter((c) => c.name === 'booking' && c.action === 'checkInOptions')
          .length;
      await eventually(async () => checkInCalls() > 0 || null, 'the check-in card read');
      await press(page, /24小时共享健身房/, '[class*="service-row--link"]');
      const slots = await ctx.mp.waitForPage('packages/booking/slots/index');
      const opened = ctx.phone.navigations.at(-1);
      expect(
        opened?.url.includes('serviceId=r29-gym') === true,
        `the gym row should open its slots, navigated to ${JSON.stringify(opened)}`,
      );
      await waitForText(slots, (t) => t.includes('每时段'), 'the gym slots');
      expect(
        !renderedText(slots).includes('‹ 返回'),
        'the H5 back bar must not be drawn on weapp (the navigation bar has ‹)',
      );
      const before = checkInCalls();
      await ctx.mp.back();
      await eventually(
        async () => checkInCalls() > before || null,
        'the check-in card read again when 首页 is shown again',
      );
      // Walk-in services have no slots: their rows are not links.
      const rows = findAll(ctx.mp.current(), '[class*="service-row--"]', /自助洗衣/);
      expect(
        rows.length > 0 && rows.every((r) => !String(r.className).includes('service-row--link')),
        'the walk-in laundry row should not be a link',
      );
    },
  },
  {
    name: 'me: 我的 is the hub — 居民 sees 我的预约 and 志愿者登记 (no 管理); 我的预约 opens',
    persona: 'resident',
    async run(ctx) {
      const page = await ctx.mp.reLaunch('pages/me/index');
      const text = await waitForText(page, (t) => t.includes('我的预约'), '我的预约 on 我的');
      expect(
        text.includes('志愿者登记'),
        `a resident is offered 志愿者登记: «${text.slice(0, 300)}»`,
      );
      for (const hidden of ['预约管理', '长者名册', '我的结对'])
        expect(!text.includes(hidden), `a resident should not see ${hidden}`);
      await press(page, '我的预约', '[class*="me__link"]');
      await ctx.mp.waitForPage('packages/booking/mine/index');
      await ctx.mp.back();
      expect(ctx.mp.stack().at(-1) === 'pages/me/index', 'back on 我的');
    },
  },
  {
    name: 'me: 我的 for the secretary lists every admin screen and opens them',
    persona: 'secretary',
    async run(ctx) {
      const page = await ctx.mp.reLaunch('pages/me/index');
      const text = await waitForText(page, (t) => t.includes('管理'), 'the 管理 section');
      const admin: Array<[string, string]> = [
        ['预约管理', 'packages/booking/admin/index'],
        ['志愿管理', 'packages/volunteer/admin/index'],
        ['长者名册', 'packages/visits/roster/index'],
        ['探访覆盖', 'packages/visits/coverage/index'],
        ['探访周期', 'packages/visits/settings/index'],
        ['访问记录', 'packages/visits/access/index'],
        ['生活圈地点', 'packages/circle/places/index'],
      ];
      for (const [label] of admin)
        expect(text.includes(label), `the secretary's 我的 should list ${label}`);
      expect(text.includes('紧急情况提醒'), 'notification settings (紧急情况提醒)');
      for (const [label, route] of admin) {
        await press(ctx.mp.current(), new RegExp(`^${label}`), '[class*="me__link"]');
        await ctx.mp.waitForPage(route);
        await ctx.mp.back();
      }
    },
  },
];
