import type { Logger } from 'pino';
import type { FeatureParts } from './feature.ts';

/** Erases a citizen's personal data from every feature that stores it, and from the core stores. */
export interface Privacy {
  eraseUser(userId: string): void;
}

/**
 * Runs every feature's erasure hook. Called inside the dispatcher's transaction for "xóa dữ liệu của tôi" and Zalo's
 * user_withdraw, so the erasure is all or nothing.
 */
export function createPrivacy(deps: { features: readonly FeatureParts[]; core: ((userId: string) => void)[]; logger: Logger }): Privacy {
  const hooks = [...deps.features.flatMap((f) => (f.erase ? [f.erase] : [])), ...deps.core];
  return {
    eraseUser(userId) {
      for (const erase of hooks) erase(userId);
      deps.logger.info({ stores: hooks.length }, 'A citizen asked to erase their data: done');
    },
  };
}
