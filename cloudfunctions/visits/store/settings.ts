import { type CadenceConfig, DEFAULT_CADENCE } from '../../../src/domain/visits/cadence';
import { COLLECTIONS, type Database, getOrNull, isDuplicateKey } from '../../_shared';
import type { VisitSettingsDoc } from '../docs';
import { REQUESTS_KEPT } from './requests';

export const SETTINGS_ID = 'settings';

export async function loadSettingsDoc(db: Database): Promise<VisitSettingsDoc | null> {
  return getOrNull<VisitSettingsDoc>(db, COLLECTIONS.visitSettings, SETTINGS_ID);
}

/** The cadence in force: the secretary's, or the default. */
export async function loadCadence(db: Database): Promise<CadenceConfig> {
  return (await loadSettingsDoc(db))?.cadence ?? DEFAULT_CADENCE;
}

/**
 * Save the cadence where the request (`key`) is not yet recorded, its key pushed with the change:
 * of racing copies one saves (true), and racing requests keep each other's keys.
 */
export async function saveCadence(
  db: Database,
  current: VisitSettingsDoc | null,
  change: { key: string; cadence: CadenceConfig; openid: string; now: Date },
): Promise<boolean> {
  const settings = db.collection<VisitSettingsDoc>(COLLECTIONS.visitSettings);
  const { key } = change;
  const fields = { cadence: change.cadence, updatedAt: change.now, updatedBy: change.openid };
  const _ = db.command;
  const update = async () =>
    (
      await settings.where({ _id: SETTINGS_ID, requests: _.neq(key) }).update({
        data: { ...fields, requests: _.push({ each: [key], slice: -REQUESTS_KEPT }) },
      })
    ).stats.updated === 1;
  if (current) return update();
  try {
    await settings.add({ data: { _id: SETTINGS_ID, ...fields, requests: [key] } });
    return true;
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
    return update();
  }
}
