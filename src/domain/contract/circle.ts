import * as v from 'valibot';
import { CIRCLE_CATEGORY_IDS, type CircleCategoryId } from '../circle/categories';
import {
  COORDINATE_SYSTEMS,
  type CoordinateSystem,
  UNKNOWN_COORDINATE_SYSTEM,
} from '../circle/coordinates';
import type { CoverageReport, NearbyPlace } from '../circle/coverage';
import { IMPORT_FORMATS, IMPORT_MAX_CHARS, type RejectedRow } from '../circle/import-format';
import {
  type CirclePlace,
  circleCategorySchema,
  latLngSchema,
  placeDraftSchema,
} from '../circle/place';
import { PACES, type LatLng, type Pace } from '../circle/walking';
import { clientRequestIdSchema } from '../shared/request-id';
import { defineAction } from './define';
import { spaceIdSchema } from './booking';

const paceSchema = v.optional(v.picklist(PACES, '步速只能是成人或长者'), 'adult');

const placeIdSchema = v.pipe(
  v.string('地点编号必须是文字'),
  v.regex(/^[A-Za-z0-9_-]{1,64}$/, '地点编号格式不正确'),
);

/**
 * Where the circle is centred: a point the resident allowed (or chose), else the space.
 * `originSystem` says which system `origin` is in (default GCJ-02, what weapp's getLocation gives;
 * a browser's geolocation is WGS-84): the function converts it, and answers the origin in GCJ-02.
 */
const originInput = {
  origin: v.optional(latLngSchema),
  originSystem: v.optional(
    v.picklist(COORDINATE_SYSTEMS, '坐标系只能是 WGS-84、GCJ-02 或 BD-09'),
    'gcj02',
  ),
  spaceId: v.optional(spaceIdSchema),
  pace: paceSchema,
};

export interface CircleOrigin {
  /** GCJ-02, whatever system the caller gave it in. */
  point: LatLng;
  /** 'space': the space's own location; 'point': a location the caller gave. */
  kind: 'space' | 'point';
  spaceId: string;
  spaceName: string;
}

export interface CirclePlaces {
  origin: CircleOrigin;
  pace: Pace;
  /** Within 15 walking minutes at the pace, fewest minutes first. */
  places: NearbyPlace[];
  /** True when more places were in range than one answer carries. */
  truncated: boolean;
}

export interface CircleCoverage extends CoverageReport {
  originInfo: CircleOrigin;
  /** Categories the caller has already asked for. */
  myRequests: CircleCategoryId[];
}

export interface ImportOutcome {
  /** Places written by this call (0 for a dry run). */
  written: number;
  acceptedCount: number;
  rejected: RejectedRow[];
  dryRun: boolean;
  /** The system the file was read in; written places are GCJ-02. */
  system: CoordinateSystem;
}

export interface ServiceRequestCount {
  category: CircleCategoryId;
  count: number;
}

export const PLACES_PAGE_SIZE = 20;

export const circleContract = {
  /** Places within 15 walking minutes of the origin (geo query), optionally one category. */
  places: defineAction<CirclePlaces>()(
    v.strictObject({ ...originInput, category: v.optional(circleCategorySchema) }),
    ['SPACE_NOT_FOUND'] as const,
  ),
  /** Which guide categories are present / missing per band, with the nearest instance outside. */
  coverage: defineAction<CircleCoverage>()(v.strictObject(originInput), [
    'SPACE_NOT_FOUND',
  ] as const),
  /**
   * Ask for a service near here; one request per person per category (asking again is a no-op,
   * `created: false`). A retry of the request that asked (same `clientRequestId`) answers `created: true`.
   */
  requestService: defineAction<{ category: CircleCategoryId; created: boolean }>()(
    v.strictObject({
      category: circleCategorySchema,
      spaceId: v.optional(spaceIdSchema),
      clientRequestId: clientRequestIdSchema,
    }),
  ),
  /** Secretary: every place, by name, 20 a page. */
  listPlaces: defineAction<{ places: CirclePlace[]; hasMore: boolean }>()(
    v.strictObject({
      page: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(500)), 0),
    }),
  ),
  /**
   * Secretary: add a place. Once per `clientRequestId` (one form submission): a retry, or copies of the
   * submission racing on several instances, answer the one place it added.
   */
  addPlace: defineAction<CirclePlace>()(
    v.strictObject({ ...placeDraftSchema.entries, clientRequestId: clientRequestIdSchema }),
  ),
  /**
   * Secretary: replace a place's details. A retry of the same request (same `clientRequestId`) answers
   * the place as it is now, without writing its details over a later change.
   */
  updatePlace: defineAction<CirclePlace>()(
    v.strictObject({
      id: placeIdSchema,
      place: placeDraftSchema,
      clientRequestId: clientRequestIdSchema,
    }),
    ['PLACE_NOT_FOUND'] as const,
  ),
  /**
   * Secretary: remove a place (the client confirms first). A retry of the same request (same
   * `clientRequestId`) answers the removal it recorded; removing a place that is not there otherwise
   * is PLACE_NOT_FOUND.
   */
  removePlace: defineAction<{ id: string }>()(
    v.strictObject({ id: placeIdSchema, clientRequestId: clientRequestIdSchema }),
    ['PLACE_NOT_FOUND'] as const,
  ),
  /**
   * Secretary: import places from CSV or GeoJSON text. All-or-nothing by default: if any row is
   * rejected nothing is written (IMPORT_ROWS_REJECTED). `dryRun` only reports; `acceptedOnly`
   * writes the accepted rows and reports the rejected ones. A file that cannot be read at all is
   * IMPORT_MALFORMED. Either way a failed import writes nothing.
   *
   * `system` declares the file's coordinate system ("wgs84" / "gcj02" / "bd09", or a name people
   * write such as "WGS-84", "百度"); default WGS-84 for GeoJSON (RFC 7946) and GCJ-02 for CSV, whose
   * rows may also carry a 坐标系 column. An unknown system is UNKNOWN_COORDINATE_SYSTEM. Places are
   * converted to GCJ-02 before they are stored.
   *
   * An import that writes is recorded once per `clientRequestId`: the places' ids follow from the
   * secretary, the request and the row, so a retry or a racing copy writes no second set and
   * answers the import as recorded.
   */
  importPlaces: defineAction<ImportOutcome>()(
    v.strictObject({
      format: v.picklist(IMPORT_FORMATS, '格式只能是 CSV 或 GeoJSON'),
      text: v.pipe(
        v.string('导入内容必须是文字'),
        v.maxLength(IMPORT_MAX_CHARS, '文件太大，请分批导入'),
      ),
      dryRun: v.optional(v.boolean(), false),
      acceptedOnly: v.optional(v.boolean(), false),
      system: v.optional(v.pipe(v.string('坐标系必须是文字'), v.maxLength(32, '坐标系名称太长'))),
      clientRequestId: clientRequestIdSchema,
    }),
    ['IMPORT_MALFORMED', 'IMPORT_ROWS_REJECTED', UNKNOWN_COORDINATE_SYSTEM] as const,
  ),
  /** Secretary: residents' requests counted per category, most asked first. */
  serviceRequests: defineAction<{ counts: ServiceRequestCount[]; total: number }>()(
    v.strictObject({}),
  ),
};

export { CIRCLE_CATEGORY_IDS };
