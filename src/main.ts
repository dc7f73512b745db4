import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import axios from 'axios';
import express from 'express';
import { createAdminApi } from './admin/admin-api.ts';
import { createStaffConsole } from './admin/create-staff-console.ts';
import type { Logger } from 'pino';
import { createApp } from './app.ts';
import { createCitizenLimiter } from './bot/citizen-limit.ts';
import { createDispatcher } from './bot/dispatcher.ts';
import { loadIntentModel } from './classifier/intent-model.ts';
import { createConversation } from './features/index.ts';
import { BROADCAST_SEND_RETRY, createBroadcasts } from './broadcasts/create-broadcasts.ts';
import { systemClock } from './clock.ts';
import { assertLiveTokens, loadConfig, type Config } from './config.ts';
import { openDatabase, SERVER_BUSY_TIMEOUT_MS, type Db } from './db/open.ts';
import { createAdminHealthRouter, createHealthCheck, createHealthRouter, createWriteHealth } from './health.ts';
import { createI18n } from './i18n/index.ts';
import { scheduleJobs } from './jobs.ts';
import { createLogger } from './logger.ts';
import { createInboxRepository } from './queue/inbox-repository.ts';
import { createInboxWriter } from './queue/inbox-writer.ts';
import { createIngressPriority } from './queue/ingress-priority.ts';
import { createOutboxRepository } from './queue/outbox-repository.ts';
import { createOutboxWorker } from './queue/outbox-worker.ts';
import { runMain } from './run-main.ts';
import { createDemoCredentials } from './simulator/demo-credentials.ts';
import { createSimulatorRouter } from './simulator/routes.ts';
import { checkContentDir, listenError, loadingContent, loadingContentAsync, openCheckedDatabase } from './startup-checks.ts';
import { createUserRepository } from './users/user-repository.ts';
import { createZaloClient } from './zalo/client.ts';
import { startFakeZalo, type FakeZalo } from './zalo/fake-zalo.ts';
import { createTokenRepository } from './zalo/token-repository.ts';
import { createSendLog } from './zalo/send-outcome.ts';
import { createTokenManager } from './zalo/tokens.ts';
import { createWebhookHandler, isWebhookRequest } from './zalo/webhook.ts';

// Env tokens: their real expiry is unknown, so assume two hours left. The first refresh then comes early (about an
// hour after start, from the timer), not on the very first call: with one hour here and the one-hour refresh margin,
// every start spent a single-use refresh token before sending anything.
const SEED_TOKEN_LIFETIME_MS = 2 * 60 * 60 * 1000;
const TOKEN_CHECK_MS = 10 * 60 * 1000;
const INBOX_POLL_MS = 5_000;
const INBOX_BODY_RETENTION_MS = 30 * 86_400_000;
const SERVER_CLOSE_GRACE_MS = 2_000;

export type { RunningBot, StartOptions } from './running-bot.ts';
import type { RunningBot, StartOptions } from './running-bot.ts';

/** Composition root: config → db → services → http server → workers. */
export async function startBot(options: StartOptions = {}): Promise<RunningBot> {
  const env = options.env ?? process.env;
  const config = loadConfig(env, { hasStoredTokens: true });
  const logger = options.logger ?? createLogger(config.logLevel);
  // Everything that can be wrong with the settings is found before the port opens (one line naming the key).
  checkContentDir(config.contentDir);
  const db = openCheckedDatabase(config.databasePath, (path) => openDatabase(path, { busyTimeoutMs: SERVER_BUSY_TIMEOUT_MS }));
  // If start-up fails half way (tokens missing, port taken), release what was opened: the caller may retry.
  const undo: (() => Promise<void> | void)[] = [() => void db.close()];
  try {
    return await assemble(config, db, logger, options, undo);
  } catch (err) {
    for (const step of undo.reverse()) await step();
    throw err;
  }
}

async function assemble(config: Config, db: Db, logger: Logger, options: StartOptions, undo: (() => Promise<void> | void)[]): Promise<RunningBot> {
  const clock = options.clock ?? systemClock;
  const tokenRepo = createTokenRepository(db);
  assertLiveTokens(config, tokenRepo.get() !== undefined);

  // Demo mode never sees real keys (loadConfig refuses them): it signs with credentials made for this run.
  const demo = config.mode === 'demo' ? createDemoCredentials() : undefined;
  const zalo = demo ?? config.zalo;

  let fakeZalo: FakeZalo | undefined;
  let apiBaseUrl = config.zalo.apiBaseUrl;
  let oauthBaseUrl = config.zalo.oauthBaseUrl;
  if (config.mode === 'demo') {
    const fake = await startFakeZalo({ lenientTokens: true });
    undo.push(() => fake.close());
    fakeZalo = fake;
    apiBaseUrl = fake.url;
    oauthBaseUrl = fake.url;
    tokenRepo.seed('demo-access-token', 'demo-refresh-token', clock.now().getTime() + 25 * 3600_000);
  } else if (config.zalo.accessToken && config.zalo.refreshToken) {
    if (tokenRepo.seed(config.zalo.accessToken, config.zalo.refreshToken, clock.now().getTime() + SEED_TOKEN_LIFETIME_MS)) {
      logger.info('Zalo tokens seeded from the environment into the database; from now on the database copy is used');
    }
  }

  // Zalo's API never redirects: without redirects axios uses Node's http directly instead of the follow-redirects
  // wrapper (about 7% of the CPU time spent answering, in the webhook benchmark's profile).
  const http = axios.create({ maxRedirects: 0 });
  const tokens = createTokenManager({
    repo: tokenRepo,
    http,
    oauthBaseUrl,
    appId: zalo.appId,
    appSecret: zalo.appSecret,
    clock,
    logger,
    timeoutMs: config.zalo.httpTimeoutMs,
    refreshTimeoutMs: config.zalo.refreshTimeoutMs,
  });
  // Every send's outcome (replies and broadcasts) and every failed database write feed the health check.
  const sendLog = createSendLog();
  const writes = createWriteHealth(clock);
  const client = createZaloClient({ http, apiBaseUrl, tokens, logger, timeoutMs: config.zalo.httpTimeoutMs, sendLog, ...(options.retry ? { retry: options.retry } : {}) });

  const inbox = createInboxRepository(db);
  const outbox = createOutboxRepository(db);
  const users = createUserRepository(db);
  const i18n = createI18n({ unitName: config.unit.name, hotline: config.unit.hotline ?? '' });

  const worker = createOutboxWorker({ repo: outbox, client, clock, logger, concurrency: config.outboxConcurrency, writes, ...(options.outboxPollMs ? { pollMs: options.outboxPollMs } : {}), ...(options.outboxRetryMs ? { retryDelayMs: options.outboxRetryMs } : {}), ...(options.outboxUncertainMs ? { uncertainResendMs: options.outboxUncertainMs } : {}) });
  // Broadcasts: follower sends go through a client without retries, since a retried timeout could deliver twice.
  const sendClient = createZaloClient({ http, apiBaseUrl, tokens, logger, timeoutMs: config.zalo.httpTimeoutMs, retry: BROADCAST_SEND_RETRY, sendLog });
  const broadcasts = createBroadcasts({
    db,
    client,
    sendClient,
    clock,
    logger,
    config: config.broadcasts,
    timeZone: config.timeZone,
    unitName: config.unit.name,
    linkButtonTitle: i18n.t('vi', 'broadcast.linkButton'),
  });

  // The conversation features (procedures, petitions, quiz, satisfaction, language, opt-out, menu, safety, privacy).
  // Content errors are the operator's to fix (CONTENT_DIR), said in one line.
  const intentModel = await loadingContentAsync(config.contentDir, () => loadIntentModel(config.contentDir));
  const conversation = loadingContent(config.contentDir, () => createConversation({
    db,
    contentDir: config.contentDir,
    timeZone: config.timeZone,
    hotline: config.unit.hotline,
    unitName: config.unit.name,
    retentionDays: config.petitionRetentionDays,
    inbox,
    outbox,
    users,
    onEnqueued: () => worker.kick(),
    i18n,
    clock,
    logger,
    secret: `${zalo.appSecret}:${zalo.oaSecretKey}`,
    intentModel,
  }));
  const route = conversation.bot.route;
  // Acks before answers: the dispatcher gives way while webhook requests keep arriving.
  const ingress = createIngressPriority();
  // At most 20 messages a minute answered per citizen (then one notice); emergencies, as the intent layer sees them, always.
  const limiter = createCitizenLimiter();
  const isEmergency = (text: string) => conversation.procedures.understander.understand(text).intent === 'emergency';
  const dispatcher = createDispatcher({ db, inbox, outbox, users, route, i18n, clock, logger, onEnqueued: () => worker.kick(), yieldTurn: ingress.yieldTurn, limiter, isEmergency });

  // Staff console and JSON API: login is public; every other /admin/api route needs a staff session (with its
  // CSRF token) or the ADMIN_TOKEN bearer, and a role the access policy allows (src/admin/access-policy.ts).
  const staffConsole = createStaffConsole({
    db,
    clock,
    settings: config.staffConsole,
    adminToken: config.adminToken,
    timeZone: config.timeZone,
    unitName: config.unit.name,
    contentDir: config.contentDir,
    posts: broadcasts.posts,
    deliveries: broadcasts.deliveries,
    index: conversation.procedures.index,
    questions: conversation.questions,
    tokens,
    inbox,
    outbox,
    unitCounts: () => conversation.units.counts(),
    passwordCost: options.passwordCost,
  });
  const healthCheck = createHealthCheck({ db, mode: config.mode, tokens, inbox, outbox, clock, sendLog, writes });
  // Each feature's staff API, behind the guard; refusals are AppErrors rendered by one handler (admin/admin-api.ts).
  const featureRouters = conversation.features.flatMap((f) => (f.adminRouter ? [f.adminRouter] : []));
  const adminApi = createAdminApi(staffConsole, [createAdminHealthRouter(healthCheck), broadcasts.adminRouter, ...featureRouters]);

  const webhook = createWebhookHandler({
    appId: zalo.appId,
    oaSecretKey: zalo.oaSecretKey,
    inbox: createInboxWriter({ db, inbox, writes }),
    clock,
    logger,
    onStored: () => dispatcher.kick(),
    onRequest: ingress.noteRequest,
  });
  const routers = [
    createHealthRouter(healthCheck),
    express.Router().use('/admin/api', adminApi),
    staffConsole.pageRouter,
  ];
  if (fakeZalo && demo) {
    routers.push(createSimulatorRouter({ fake: fakeZalo, appId: demo.appId, oaSecretKey: demo.oaSecretKey, oaId: demo.oaId }));
  }
  const app = createApp({ logger, routers });

  const server: Server = await new Promise((resolve, reject) => {
    // Zalo's webhook is answered before express (src/zalo/webhook.ts); everything else goes to the express app.
    const s = createServer((req, res) => (isWebhookRequest(req) ? webhook(req, res) : app(req, res)));
    s.listen(config.port, config.host, () => resolve(s));
    s.once('error', (err) => reject(listenError(err, config.port, config.host)));
  });
  server.keepAliveTimeout = 65_000;
  const port = (server.address() as AddressInfo).port;
  const shownHost = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  const url = `http://${shownHost}:${port}`;

  worker.start();
  dispatcher.start();
  broadcasts.start();
  // Scheduled jobs: each feature's (petition retention…) and the inbox's. Each runs at start too, to catch up.
  const jobs = [
    ...conversation.features.flatMap((f) => f.jobs ?? []),
    // Raw webhook bodies (they may hold what citizens typed) are kept 30 days for troubleshooting, then emptied.
    { name: 'inbox-retention', cron: '17 3 * * *', runAtStart: true, run: () => void inbox.pruneHandled(clock.now().getTime() - INBOX_BODY_RETENTION_MS) },
  ];
  const scheduled = scheduleJobs(jobs, { timeZone: config.timeZone, logger });
  const tokenTimer = setInterval(() => {
    tokens.refreshIfDue().catch((err: Error) => logger.error({ err: err.message }, 'Scheduled token refresh failed'));
  }, TOKEN_CHECK_MS);
  tokenTimer.unref();
  // The server's busy timeout is short (src/db/open.ts): a dispatcher pass that met another process's write lock
  // gives up and leaves its events pending; this picks them up without waiting for the next webhook.
  const inboxTimer = setInterval(() => dispatcher.kick(), INBOX_POLL_MS);
  inboxTimer.unref();

  logger.info({ mode: config.mode, url }, `Zalo OA bot listening on ${url}`);
  if (fakeZalo) logger.info(`Demo mode: open ${url}/simulator to chat with the bot (Zalo is faked locally)`);

  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    config,
    clock,
    db,
    logger,
    client,
    tokens,
    fakeZalo,
    staffConsole,
    petitions: conversation.petitions.service,
    broadcasts,
    drainInbox: () => dispatcher.drain(),
    close() {
      closing ??= (async () => {
        clearInterval(tokenTimer);
        clearInterval(inboxTimer);
        // Stops in parallel with the rest (bounded): in-flight sends finish, leases are released for the next start.
        const broadcastsStopped = broadcasts.stop();
        await scheduled.stop();
        const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        await dispatcher.stop();
        await worker.stop();
        // Webhook requests finish in milliseconds; a client that keeps a connection busy longer must not hold the exit.
        const lingering = setTimeout(() => server.closeAllConnections(), SERVER_CLOSE_GRACE_MS);
        await serverClosed;
        clearTimeout(lingering);
        await broadcastsStopped;
        await fakeZalo?.close();
        db.close();
      })();
      return closing;
    },
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  void runMain(() => startBot());
}
