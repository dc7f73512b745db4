import express, { type Router } from 'express';
import { AppError } from '../admin/app-error.ts';
import { validate } from '../admin/request-schemas.ts';
import { staffMessage } from '../admin/staff-messages.ts';
import type { Unit } from './schema.ts';
import { emptyPoliceFields, unitCounts, unitEditSchema, type UnitEdit } from './unit-edit.ts';

export interface UnitAdminDeps {
  units(): Unit[];
  /** Writes the change to the unit's file and makes the bot answer with it; undefined for an unknown id. */
  edit(id: string, change: UnitEdit, staffName: string): Unit | undefined;
}

const view = (u: Unit) => ({ id: u.id, name: u.name, police: u.police ?? {}, empty: emptyPoliceFields(u) });

/** GET /units (every unit, its police fields and which are still empty) and PATCH /units/:id (staff fill them). */
export function createUnitAdminRouter(deps: UnitAdminDeps): Router {
  const router = express.Router();

  router.get('/units', (_req, res) => {
    const units = deps.units();
    res.json({ items: units.map(view), ...unitCounts(units) });
  });

  router.patch('/units/:id', (req, res) => {
    const change = validate(unitEditSchema, req.body ?? {});
    if (Object.values(change).every((v) => v === undefined)) throw new AppError(400, 'nothing_to_change', staffMessage('unitNothingToChange'));
    const actor = req.actor!;
    const unit = deps.edit(String(req.params.id), change, actor.displayName ?? actor.name);
    if (!unit) throw new AppError(404, 'unit_not_found', staffMessage('unitNotFound', { id: String(req.params.id) }));
    res.json(view(unit));
  });

  return router;
}
