import { createUnitHandlers, type ProcedureInfo, type UnitHandlers } from '../bot/handlers/units.ts';
import { createPlaceIndex, type PlaceIndex } from '../units/place-index.ts';
import { loadUnits } from '../units/load.ts';
import type { FeatureParts } from './feature.ts';

export interface UnitsFeature extends FeatureParts {
  index: PlaceIndex;
  handlers: UnitHandlers;
}

/** The city's communes and wards (content/units/): loads them (failing loudly on invalid files) and the place index. */
export function createUnitsFeature(deps: { contentDir: string; hotline: string | undefined; procedure: (id: string) => ProcedureInfo | undefined }): UnitsFeature {
  const { units, departments } = loadUnits(deps.contentDir);
  const index = createPlaceIndex(units, departments);
  return { name: 'units', index, handlers: createUnitHandlers({ index, hotline: deps.hotline, procedure: deps.procedure }) };
}
