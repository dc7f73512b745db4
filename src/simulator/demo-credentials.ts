import { randomBytes } from 'node:crypto';

/** What demo mode signs webhooks and talks to its fake of Zalo with: made at each start, never a real key. */
export interface DemoCredentials {
  appId: string;
  appSecret: string;
  oaSecretKey: string;
  oaId: string;
}

/** User ids the simulator page makes start with this: real Zalo ids are digits only, so they never do. */
export const SIMULATOR_USER_PREFIX = 'demo-';
const SIMULATOR_USER = /^demo-[0-9A-Za-z]{1,40}$/;

/** True for an id the simulator page made (the only conversations the simulator API shows). */
export function isSimulatorUser(userId: string): boolean {
  return SIMULATOR_USER.test(userId);
}

/**
 * Fresh demo credentials. The OA secret key is random per process start: the simulator page receives it (it signs
 * like Zalo does), so it must be worthless anywhere else, including against an earlier run of the demo.
 */
export function createDemoCredentials(random: (size: number) => Buffer = randomBytes): DemoCredentials {
  return {
    appId: 'demo-app',
    appSecret: random(32).toString('hex'),
    oaSecretKey: random(32).toString('hex'),
    oaId: '4318000000000000001',
  };
}
