import type { FeeItem, Procedure } from './schema.ts';

/** Fee items in force on a local date (YYYY-MM-DD). */
export function feesOn(procedure: Procedure, isoDate: string): FeeItem[] {
  return procedure.fees.items.filter((f) => (!f.valid_from || f.valid_from <= isoDate) && (!f.valid_to || isoDate <= f.valid_to));
}

/** Fee items that start after a local date (announced changes). */
export function upcomingFees(procedure: Procedure, isoDate: string): FeeItem[] {
  return procedure.fees.items.filter((f) => f.valid_from !== undefined && f.valid_from > isoDate);
}

/** 25000 → "25.000" (Vietnamese thousands separator). */
export function formatThousands(amount: number): string {
  return amount.toLocaleString('de-DE');
}
