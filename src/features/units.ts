import { createUnitHandlers, type ProcedureInfo, type UnitHandlers } from '../bot/handlers/units.ts';
import type { Clock } from '../clock.ts';
import type { Db } from '../db/open.ts';
import { localDate } from '../time.ts';
import { createUnitAdminRouter } from '../units/admin-routes.ts';
import { createUserUnitStore } from '../units/user-unit-store.ts';
import { createPlaceIndex, type PlaceIndex } from '../units/place-index.ts';
import { loadUnitFiles, loadUnits } from '../units/load.ts';
import { unitCounts, writeUnitEdit } from '../units/unit-edit.ts';
import type { FeatureParts } from './feature.ts';

export interface UnitsFeature extends FeatureParts {
  index: PlaceIndex;
  handlers: UnitHandlers;
  /** Units, and how many still lack an address or a phone (the dashboard). */
  counts(): { total: number; withoutAddress: number; withoutPhone: number };
}

export interface UnitsFeatureDeps {
  db: Db;
  contentDir: string;
  hotline: string | undefined;
  procedure: (id: string) => ProcedureInfo | undefined;
  timeZone: string;
  clock: Clock;
}

/**
 * The city's communes and wards (content/units/): loads them (failing loudly on invalid files), the place index, and
 * the citizen's own commune once they said it (erased with the rest of their data). Staff fill a unit's police
 * fields through the admin router; the change is written to the unit's file and the index is rebuilt in place, so
 * the next answer uses it without a restart.
 */
export function createUnitsFeature(deps: UnitsFeatureDeps): UnitsFeature {
  const { units, departments } = loadUnits(deps.contentDir);
  const files = loadUnitFiles(deps.contentDir).fileOf;
  const index = createPlaceIndex(units, departments);
  const store = createUserUnitStore(deps.db);
  const adminRouter = createUnitAdminRouter({
    units: () => [...index.units.values()],
    edit: (id, change, staffName) => {
      const file = files.get(id);
      if (!file || !index.units.has(id)) return undefined;
      const unit = writeUnitEdit(file, change, { today: localDate(deps.clock.now(), deps.timeZone), staffName });
      // The handlers hold this index object: refill it, with the unit as now written.
      Object.assign(index, createPlaceIndex([...index.units.values()].map((u) => (u.id === id ? unit : u)), index.departments));
      return unit;
    },
  });
  return {
    name: 'units',
    index,
    handlers: createUnitHandlers({ index, hotline: deps.hotline, procedure: deps.procedure, store }),
    adminRouter,
    counts: () => unitCounts([...index.units.values()]),
    erase: (userId) => store.clear(userId),
  };
}
