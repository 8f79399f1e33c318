import gcoord, { type CRSTypes } from 'gcoord';
import {
  type CoordinateSystem,
  STORED_COORDINATE_SYSTEM,
  type ToStoredSystem,
} from '../../../src/domain/circle/coordinates';
import type { LatLng } from '../../../src/domain/circle/walking';

/**
 * The converter behind ToStoredSystem: gcoord (npm, MIT), bundled into the function by esbuild.
 * It lives here, not in src/domain, so the mini-program never ships it: conversion happens only on
 * the server. gcoord works in [longitude, latitude] order and leaves points outside its China box
 * unchanged (GCJ-02 is defined only inside China).
 */

const CRS: Record<CoordinateSystem, CRSTypes> = {
  wgs84: gcoord.WGS84,
  gcj02: gcoord.GCJ02,
  bd09: gcoord.BD09,
};

/** `point` in `from`, as `to` (degrees). */
export function convertPoint(point: LatLng, from: CoordinateSystem, to: CoordinateSystem): LatLng {
  if (from === to) return { latitude: point.latitude, longitude: point.longitude };
  const [longitude, latitude] = gcoord.transform(
    [point.longitude, point.latitude],
    CRS[from],
    CRS[to],
  );
  return { latitude, longitude };
}

export const toStoredSystem: ToStoredSystem = (point, from) =>
  convertPoint(point, from, STORED_COORDINATE_SYSTEM);
