import { MINUTES_PER_DAY } from '../shared/time';
import type { OpeningRule } from '../space/opening-hours';
import type { CircleCategoryId } from './categories';

/**
 * Reading what OpenStreetMap exports (overpass turbo, osmtogeojson, QGIS): tags as feature
 * properties (`shop=convenience`, `amenity=pharmacy`) or nested under `properties.tags`, and
 * `opening_hours` in OSM's own syntax (https://wiki.openstreetmap.org/wiki/Key:opening_hours).
 */

/** OSM tag → our category, most specific first (a `cuisine=breakfast` restaurant is a 早餐店). */
const OSM_CATEGORY_TAGS: ReadonlyArray<readonly [key: string, value: string, CircleCategoryId]> = [
  ['cuisine', 'breakfast', 'breakfast'],
  ['shop', 'convenience', 'convenience-store'],
  ['shop', 'kiosk', 'convenience-store'],
  ['shop', 'supermarket', 'supermarket'],
  ['shop', 'department_store', 'supermarket'],
  ['shop', 'greengrocer', 'fresh-grocery'],
  ['shop', 'butcher', 'fresh-grocery'],
  ['shop', 'seafood', 'fresh-grocery'],
  ['shop', 'farm', 'fresh-grocery'],
  ['amenity', 'marketplace', 'wet-market'],
  ['amenity', 'pharmacy', 'pharmacy'],
  ['healthcare', 'pharmacy', 'pharmacy'],
  ['shop', 'chemist', 'pharmacy'],
  ['shop', 'laundry', 'laundry'],
  ['shop', 'dry_cleaning', 'laundry'],
  ['shop', 'hairdresser', 'hair-salon'],
  ['shop', 'beauty', 'hair-salon'],
  ['shop', 'copyshop', 'print-photo'],
  ['shop', 'photo', 'print-photo'],
  ['amenity', 'post_office', 'post-express'],
  ['amenity', 'parcel_locker', 'post-express'],
  ['shop', 'repair', 'repair'],
  ['shop', 'mobile_phone_repair', 'repair'],
  ['shop', 'electronics_repair', 'repair'],
  ['craft', 'shoemaker', 'repair'],
  ['craft', 'key_cutter', 'repair'],
  ['craft', 'tailor', 'repair'],
  ['shop', 'tailor', 'repair'],
  ['craft', 'electronics_repair', 'repair'],
  ['office', 'housekeeping', 'housekeeping'],
  ['craft', 'cleaning', 'housekeeping'],
  ['amenity', 'nursing_home', 'elder-care'],
  ['social_facility', 'nursing_home', 'elder-care'],
  ['social_facility', 'assisted_living', 'elder-care'],
  ['social_facility', 'day_care', 'elder-care'],
  ['amenity', 'childcare', 'child-care'],
  ['amenity', 'kindergarten', 'child-care'],
  ['leisure', 'fitness_centre', 'fitness'],
  ['leisure', 'sports_centre', 'fitness'],
  ['leisure', 'fitness_station', 'fitness'],
  ['amenity', 'cafe', 'cafe'],
  ['amenity', 'restaurant', 'restaurant'],
  ['amenity', 'fast_food', 'restaurant'],
  ['amenity', 'food_court', 'restaurant'],
  ['shop', 'pet', 'pet-service'],
  ['shop', 'pet_grooming', 'pet-service'],
  ['amenity', 'veterinary', 'pet-service'],
  ['amenity', 'library', 'culture-education'],
  ['amenity', 'community_centre', 'culture-education'],
  ['amenity', 'arts_centre', 'culture-education'],
  ['shop', 'books', 'culture-education'],
];

/** The keys that say what a place is, in the order a reason names them. */
const OSM_KIND_KEYS = ['shop', 'amenity', 'leisure', 'healthcare', 'craft', 'office'] as const;

/** Tags of one feature: its properties, with `properties.tags` (osmtogeojson's older shape) merged in. */
export function osmTags(properties: Record<string, unknown>): Record<string, string> {
  const tags: Record<string, string> = {};
  const nested = properties.tags;
  const sources =
    typeof nested === 'object' && nested !== null && !Array.isArray(nested)
      ? [nested as Record<string, unknown>, properties]
      : [properties];
  for (const source of sources)
    for (const [key, value] of Object.entries(source))
      if (typeof value === 'string') tags[key] = value.trim();
  return tags;
}

/**
 * Our category for a feature's OSM tags: a category id, null when it has no OSM kind tag at all,
 * or the kind it has that we do not list (`amenity=bank`), to name in the row's reason.
 */
export function osmCategory(
  tags: Readonly<Record<string, string>>,
): { id: CircleCategoryId } | { unknown: string } | null {
  for (const [key, value, id] of OSM_CATEGORY_TAGS) {
    // Values may be lists ("greengrocer;butcher").
    if ((tags[key] ?? '').split(';').some((v) => v.trim() === value)) return { id };
  }
  const kind = OSM_KIND_KEYS.find((k) => (tags[k] ?? '') !== '');
  return kind ? { unknown: `${kind}=${tags[kind]}` } : null;
}

/** A place's address from OSM `addr:*` tags, most general part first as Chinese addresses read. */
export function osmAddress(tags: Readonly<Record<string, string>>): string {
  if (tags['addr:full']) return tags['addr:full'];
  return ['addr:province', 'addr:city', 'addr:district', 'addr:street', 'addr:housenumber']
    .map((k) => tags[k] ?? '')
    .join('');
}

/** The first phone number of an OSM `phone` / `contact:phone` (which may list several with ';'). */
export function osmPhone(tags: Readonly<Record<string, string>>): string {
  const phone = tags.phone ?? tags['contact:phone'] ?? tags['contact:mobile'] ?? '';
  return phone.split(';')[0].trim();
}

const OSM_DAYS = ['Su', 'Mo', 'Tu', 'We', 'Th', 'Fr', 'Sa'] as const;
const ALL_DAYS = [0, 1, 2, 3, 4, 5, 6];

/** "Mo-Fr", "Sa,Su", "Fr-Mo" (wrapping) → weekdays 0 = Sunday … 6; null when not OSM weekdays. */
function osmDays(selector: string): number[] | null {
  const days = new Set<number>();
  for (const part of selector.split(',')) {
    const m = /^(Mo|Tu|We|Th|Fr|Sa|Su)(?:-(Mo|Tu|We|Th|Fr|Sa|Su))?$/.exec(part.trim());
    if (!m) return null;
    const from = OSM_DAYS.indexOf(m[1] as (typeof OSM_DAYS)[number]);
    const to = m[2] ? OSM_DAYS.indexOf(m[2] as (typeof OSM_DAYS)[number]) : from;
    // OSM ranges run forward through the week and may wrap (Fr-Mo is Fr, Sa, Su, Mo).
    for (let d = from; ; d = (d + 1) % 7) {
      days.add(d);
      if (d === to) break;
    }
  }
  return [...days].sort((a, b) => a - b);
}

/** "07:00-23:00,14:00-18:00" → [open, close] minutes; a close at or before the open runs past midnight. */
function osmTimes(spans: string): Array<[number, number]> | null {
  const out: Array<[number, number]> = [];
  for (const span of spans.split(',')) {
    const m = /^(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})$/.exec(span.trim());
    if (!m) return null;
    const [oh, om, ch, cm] = [m[1], m[2], m[3], m[4]].map(Number);
    if (oh > 24 || ch > 48 || om > 59 || cm > 59) return null;
    const open = oh * 60 + om;
    let close = ch * 60 + cm;
    if (open >= MINUTES_PER_DAY) return null;
    if (close <= open) close += MINUTES_PER_DAY;
    if (close > MINUTES_PER_DAY * 2) return null;
    out.push([open, close]);
  }
  return out;
}

const OSM_HOURS_EXAMPLE = '可写 Mo-Su 07:00-23:00、Mo-Fr 08:00-18:00; Sa,Su 09:00-17:00 或 24/7';

/**
 * OSM `opening_hours` in its common forms: "24/7"; "Mo-Su 07:00-23:00"; "Mo-Fr 08:00-18:00; Sa,Su
 * 09:00-17:00"; "07:00-23:00" (every day); several spans ("Mo-Fr 08:00-12:00,14:00-18:00"); "Su off".
 * A later rule replaces an earlier one for the days it names, as in OSM. Holidays (PH), months,
 * week numbers, sunrise/sunset and comments are refused with a reason, never guessed.
 */
export function parseOsmOpeningHours(
  input: string,
): { ok: true; hours: OpeningRule[] } | { ok: false; reason: string } {
  const text = input.trim();
  if (text === '') return { ok: true, hours: [] };
  const byDay = new Map<number, Array<[number, number]>>();
  for (const rule of text
    .split(';')
    .map((r) => r.trim())
    .filter(Boolean)) {
    const refuse = {
      ok: false as const,
      reason: `营业时间“${rule}”看不懂（${OSM_HOURS_EXAMPLE}）`,
    };
    if (rule === '24/7') {
      for (const d of ALL_DAYS) byDay.set(d, [[0, MINUTES_PER_DAY]]);
      continue;
    }
    const m = /^(?:([A-Za-z][A-Za-z,\s-]*?)\s+)?(\d.*|off|closed)$/.exec(rule);
    if (!m) return refuse;
    const dayText = m[1]?.replace(/\s+/g, '');
    const days = dayText ? osmDays(dayText) : ALL_DAYS;
    if (!days) {
      const reason = /PH|SH/.test(dayText ?? '')
        ? `营业时间“${rule}”含节假日规则，暂不能导入，请删去节假日部分`
        : refuse.reason;
      return { ok: false, reason };
    }
    const what = m[2].trim();
    if (what === 'off' || what === 'closed') {
      for (const d of days) byDay.set(d, []);
      continue;
    }
    const times = osmTimes(what);
    if (!times) return refuse;
    for (const d of days) byDay.set(d, times);
  }
  // One rule per distinct span, with the days it applies to.
  const rules = new Map<string, OpeningRule>();
  for (const d of ALL_DAYS)
    for (const [open, close] of byDay.get(d) ?? []) {
      const key = `${open}-${close}`;
      const rule = rules.get(key) ?? { days: [], open, close };
      rule.days.push(d);
      rules.set(key, rule);
    }
  const hours = [...rules.values()].sort((a, b) => a.open - b.open || a.days[0] - b.days[0]);
  if (hours.length === 0) return { ok: false, reason: `营业时间“${text}”里没有开门的时段` };
  return { ok: true, hours };
}

/** Whether hours text is written in OSM's syntax rather than ours ("每天 07:00-22:00"). */
export function looksLikeOsmHours(text: string): boolean {
  return /24\/7|\b(Mo|Tu|We|Th|Fr|Sa|Su|PH|off)\b/.test(text);
}
