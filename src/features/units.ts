import { createUnitHandlers, type ProcedureInfo, type UnitHandlers } from '../bot/handlers/units.ts';
import type { Db } from '../db/open.ts';
import { createUserUnitStore } from '../units/user-unit-store.ts';
import { createPlaceIndex, type PlaceIndex } from '../units/place-index.ts';
import { loadUnits } from '../units/load.ts';
import type { FeatureParts } from './feature.ts';

export interface UnitsFeature extends FeatureParts {
  index: PlaceIndex;
  handlers: UnitHandlers;
}

/**
 * The city's communes and wards (content/units/): loads them (failing loudly on invalid files), the place index, and
 * the citizen's own commune once they said it (erased with the rest of their data).
 */
export function createUnitsFeature(deps: { db: Db; contentDir: string; hotline: string | undefined; procedure: (id: string) => ProcedureInfo | undefined }): UnitsFeature {
  const { units, departments } = loadUnits(deps.contentDir);
  const index = createPlaceIndex(units, departments);
  const store = createUserUnitStore(deps.db);
  return { name: 'units', index, handlers: createUnitHandlers({ index, hotline: deps.hotline, procedure: deps.procedure, store }), erase: (userId) => store.clear(userId) };
}
