/**
 * Issue 6 "The 15-minute life circle map": 生活圈 at phone size — the self-drawn map with its
 * three bands and markers, a category filter, a place's card, and the coverage panel; the
 * secretary's import with its report of rejected rows.
 */
import { expect, excerpt, type Scenario } from '../../support/runner';
import type { ScenarioContext } from '../browser';
import { expectText, openTab, signInAs, visibleText, waitForHome } from '../app';

export const circleScenarios: Array<Scenario<ScenarioContext>> = [
  {
    name: 'circle: a resident opens 生活圈, filters 药店, opens a place and reads the coverage',
    async run({ page }) {
      await page.goto('/');
      await signInAs(page, '居民 张三');
      await waitForHome(page);
      await openTab(page, '生活圈');

      const map = page.locator('[data-testid="circle-map"]:visible');
      await map.waitFor({ state: 'visible' });
      expect(
        (await map.locator('[data-band]').count()) === 3,
        'expected three walking bands (5/10/15) on the drawn map',
      );
      const rows = page.locator('[data-testid="place-row"]:visible');
      await rows.first().waitFor({ state: 'visible' });
      const markerCount = await map.locator('[data-place-id]').count();
      expect(
        markerCount > 20 && markerCount === (await rows.count()),
        `expected one marker per listed place, got ${markerCount} markers and ${await rows.count()} rows`,
      );
      await expectText(page, '步行时间为估算', '生活圈');
      await expectText(page, 'R29', 'the circle origin');

      await page.locator('[data-testid="category-filters"]:visible').getByText('药店').click();
      await page.waitForFunction(
        () => document.querySelectorAll('[data-testid="place-row"]').length < 5,
      );
      const names = (await rows.allInnerTexts()).map((t) => t.replace(/\s+/g, ' '));
      expect(
        names.length === 2 && names.every((n) => /药/.test(n)),
        `expected the two sample pharmacies, got ${JSON.stringify(names)}`,
      );
      expect(
        (await map.locator('[data-place-id]').count()) === 2,
        'the map shows only the filtered category',
      );

      await rows.first().click();
      const card = page.locator('[data-testid="place-card"]:visible');
      await card.waitFor({ state: 'visible' });
      const cardText = (await card.innerText()).replace(/\s+/g, ' ');
      expect(
        cardText.includes('仁心大药房') && /步行约 \d+ 分钟（估算）/.test(cardText),
        `unexpected card: «${cardText}»`,
      );
      expect(
        /营业中|已关门|即将关门|24小时开放/.test(cardText),
        `the card states whether it is open now: «${cardText}»`,
      );

      const coverage = page.locator('[data-testid="coverage"]:visible');
      await coverage.scrollIntoViewIfNeeded();
      const summary = (await coverage.getByTestId('coverage-summary').innerText()).replace(
        /\s+/g,
        ' ',
      );
      expect(
        /步行 15 分钟内：已有 16 类，缺 3 类/.test(summary),
        `unexpected 15-minute coverage: «${summary}»`,
      );
      const market = (await coverage.getByTestId('missing-wet-market').innerText()).replace(
        /\s+/g,
        ' ',
      );
      expect(
        market.includes('最近：城东农贸菜市场'),
        `expected the nearest market outside the band: «${market}»`,
      );

      await coverage.getByTestId('coverage-band-5').click();
      const five = (await coverage.getByTestId('coverage-summary').innerText()).replace(
        /\s+/g,
        ' ',
      );
      expect(
        /步行 5 分钟内：已有 \d+ 类/.test(five) && five !== summary,
        `the 5-minute band has its own counts: «${five}»`,
      );
      await coverage.getByTestId('coverage-band-15').click();

      const pets = coverage.getByTestId('missing-pet-service');
      await pets.getByText('我需要').click();
      try {
        await pets.getByText('已提需求').waitFor({ state: 'visible' });
      } catch {
        expect(
          false,
          `asking for 宠物服务站 did not mark it requested; page text: «${excerpt(await visibleText(page))}»`,
        );
      }
    },
  },
  {
    name: 'circle: the secretary imports CSV and sees which rows were rejected and why',
    async run({ page }) {
      await page.goto('/');
      await signInAs(page, '社区书记 王五');
      await waitForHome(page);
      await page.goto('/#/packages/circle/import/index');
      const form = page.locator('[data-testid="place-import"]:visible');
      await form.waitFor({ state: 'visible' });
      const csv =
        '名称,类别,纬度,经度,营业时间\n测试家政（示例）,家政服务点,30.5915,104.1295,每天 08:00-18:00\n测试银行（示例）,银行,30.5916,104.1296,\n';
      await form.locator('textarea').fill(csv);
      await form.getByText('检查', { exact: true }).click();
      const report = page.locator('[data-testid="import-report"]:visible');
      await report.waitFor({ state: 'visible' });
      const text = (await report.innerText()).replace(/\s+/g, ' ');
      expect(
        text.includes('可导入 1 行') &&
          text.includes('第 3 行（测试银行（示例））：未知的类别“银行”'),
        `unexpected report: «${text}»`,
      );
      await report.getByText('只导入通过的 1 行').click();
      await page.getByText('确定', { exact: true }).locator('visible=true').click();
      await expectText(page, '已导入 1 个', 'the import toast');
    },
  },
  {
    name: 'circle: the secretary checks a table pasted from Excel (tabs) and an OpenStreetMap GeoJSON export',
    async run({ page }) {
      await page.goto('/');
      await signInAs(page, '社区书记 王五');
      await waitForHome(page);
      await page.goto('/#/packages/circle/import/index');
      const form = page.locator('[data-testid="place-import"]:visible');
      await form.waitFor({ state: 'visible' });
      const hint = (await form.innerText()).replace(/\s+/g, ' ');
      expect(
        hint.includes('Excel') && hint.includes('OpenStreetMap'),
        `the hint should say Excel/WPS paste and OSM GeoJSON work: «${hint}»`,
      );
      const report = page.locator('[data-testid="import-report"]:visible');
      const check = async (text: string): Promise<string> => {
        await form.locator('textarea').fill(text);
        await form.getByText('检查', { exact: true }).click();
        const error = page.locator('[data-testid="import-error"]:visible');
        await Promise.race([report.waitFor(), error.waitFor()]);
        if (await error.isVisible()) expect(false, `refused: «${await error.innerText()}»`);
        return (await report.innerText()).replace(/\s+/g, ' ');
      };
      // What Excel / WPS put on the clipboard: tab-separated cells, CRLF rows.
      const pasted = [
        '名称\t类别\t纬度\t经度\t营业时间',
        '粘贴便利店（示例）\t便利店\t30.5915\t104.1295\t每天 07:00-23:00',
        '粘贴银行（示例）\t银行\t30.5916\t104.1296\t',
      ].join('\r\n');
      const fromExcel = await check(pasted);
      expect(
        fromExcel.includes('可导入 1 行') &&
          fromExcel.includes('第 3 行（粘贴银行（示例））：未知的类别“银行”'),
        `unexpected report for the Excel paste: «${fromExcel}»`,
      );

      await form.getByText('GeoJSON', { exact: true }).click();
      const osm = JSON.stringify({
        type: 'FeatureCollection',
        generator: 'overpass-turbo',
        features: [
          [
            'node/1',
            { name: '红旗连锁（示例）', shop: 'convenience', opening_hours: 'Mo-Su 07:00-23:00' },
          ],
          [
            'node/2',
            {
              name: '大药房（示例）',
              amenity: 'pharmacy',
              opening_hours: 'Mo-Fr 08:00-18:00; Sa,Su 09:00-17:00',
            },
          ],
          [
            'node/3',
            { name: '夜市（示例）', amenity: 'marketplace', opening_hours: 'sunset-sunrise' },
          ],
        ].map(([id, tags], i) => ({
          type: 'Feature',
          id,
          properties: { '@id': id, ...(tags as Record<string, string>) },
          geometry: { type: 'Point', coordinates: [104.1265 + i / 1000, 30.5935] },
        })),
      });
      const fromOsm = await check(osm);
      expect(
        fromOsm.includes('可导入 2 行') &&
          fromOsm.includes('第 3 行（夜市（示例））：营业时间“sunset-sunrise”看不懂'),
        `unexpected report for the OSM export: «${fromOsm}»`,
      );
    },
  },
];
