// npm run followers:sync: reads the OA's follower list from Zalo (50 per page) into the database. Followers Zalo no
// longer lists are marked unfollowed only when the list was complete (Zalo stops paging at offset 9951).
import { systemClock } from '../src/clock.ts';
import { ConfigError, loadConfig, loadDotEnv } from '../src/config.ts';
import { openDatabase } from '../src/db/open.ts';
import { createFollowerRepository } from '../src/followers/follower-repository.ts';
import { createFollowerSync } from '../src/followers/follower-sync.ts';
import { createLogger } from '../src/logger.ts';
import { createCliZaloClient } from './lib/zalo-cli-client.ts';

loadDotEnv();
let config;
try {
  config = loadConfig(process.env, { hasStoredTokens: true });
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(err.message);
    process.exit(2);
  }
  throw err;
}
const logger = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel);
const db = openDatabase(config.databasePath);
try {
  const client = createCliZaloClient(config, db, logger, systemClock);
  const followers = createFollowerRepository(db);
  const result = await createFollowerSync({ client, followers, clock: systemClock, logger }).run();
  console.log(
    `Zalo reports ${result.total} followers; ${result.fetched} listed, ${result.added} new to the database, ${result.unfollowed} marked unfollowed` +
      (result.complete ? '.' : ' (list incomplete: nobody was marked unfollowed).'),
  );
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(err.message);
    process.exitCode = 2;
  } else {
    console.error(`Follower sync failed: ${(err as Error).message}`);
    process.exitCode = 1;
  }
} finally {
  db.close();
}
