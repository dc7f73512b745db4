// Staff accounts for the console at /admin:
//   npm run staff:add -- --username an.nv --role handler [--password …] [--name "Nguyễn Văn An"] [--zalo-id 123…]
//   npm run staff:passwd -- --username an.nv [--password …]
//   npm run staff:list
// Without --password the password is asked for: hidden when typed at a terminal, else the first line of stdin
// (so `printf 'secret\n' | npm run staff:passwd -- --username an.nv` works in provisioning scripts).
import { userInfo } from 'node:os';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { createAuditLog } from '../src/admin/audit-log.ts';
import { createPasswordHasher, MIN_PASSWORD_LENGTH } from '../src/admin/passwords.ts';
import { createStaffRepository, STAFF_ROLES, type StaffRole } from '../src/admin/staff-repository.ts';
import { AppError } from '../src/admin/app-error.ts';
import { staffMessage } from '../src/admin/staff-messages.ts';
import { createStaffService, type AuditActor } from '../src/admin/staff-service.ts';
import { systemClock } from '../src/clock.ts';
import { ConfigError, loadConfig, loadDotEnv } from '../src/config.ts';
import { openDatabase } from '../src/db/open.ts';

const USAGE = `Usage:
  npm run staff:add -- --username NAME --role ${STAFF_ROLES.join('|')} [--password PASSWORD] [--name "Display name"] [--zalo-id ZALO_USER_ID]
  npm run staff:passwd -- --username NAME [--password PASSWORD]
  npm run staff:list
Passwords: at least ${MIN_PASSWORD_LENGTH} characters, not a common one, not the current one. Without --password you
are asked for it. staff:passwd also lifts a lock-out after failed logins.`;

/** Reads a password: hidden keystrokes on a terminal, the first line of stdin otherwise. */
async function askPassword(prompt: string): Promise<string> {
  const stdin = process.stdin;
  if (!stdin.isTTY) {
    const rl = createInterface({ input: stdin });
    const line = await new Promise<string>((resolve) => {
      let done = false;
      rl.once('line', (l) => {
        done = true;
        resolve(l);
      });
      rl.once('close', () => {
        if (!done) resolve('');
      });
    });
    rl.close();
    return line.replace(/\r$/, '');
  }
  // Echo goes off before the prompt appears, so even keys typed the instant it shows are not displayed.
  stdin.setRawMode(true);
  stdin.resume();
  stdin.setEncoding('utf8');
  process.stderr.write(prompt);
  return new Promise((resolve, reject) => {
    let value = '';
    const finish = (err?: Error) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      process.stderr.write('\n');
      if (err) reject(err);
      else resolve(value);
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') return finish();
        if (ch === '\u0003') return finish(new Error('cancelled'));
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else if (ch >= ' ') value += ch;
      }
    };
    stdin.on('data', onData);
  });
}

async function newPassword(given: string | undefined): Promise<string> {
  if (given !== undefined) return given;
  const first = await askPassword('Password: ');
  if (process.stdin.isTTY) {
    const again = await askPassword('Repeat the password: ');
    if (again !== first) throw new AppError(400, 'passwords_differ', staffMessage('passwordsDiffer'));
  }
  return first;
}

async function main(): Promise<number> {
  const [command, ...rest] = process.argv.slice(2);
  const { values } = parseArgs({
    args: rest,
    options: {
      username: { type: 'string' },
      role: { type: 'string' },
      password: { type: 'string' },
      name: { type: 'string' },
      'zalo-id': { type: 'string' },
    },
    strict: true,
  });
  loadDotEnv();
  const config = loadConfig(process.env, { hasStoredTokens: true });
  const db = openDatabase(config.databasePath);
  try {
    const service = createStaffService({
      repo: createStaffRepository(db),
      audit: createAuditLog(db),
      clock: systemClock,
      sessionHours: config.staffConsole.sessionHours,
      idleMinutes: config.staffConsole.idleMinutes,
      hasher: createPasswordHasher(),
    });
    const by: AuditActor = { name: `cli:${userInfo().username}`, kind: 'cli' };
    if (command === 'list') {
      const rows = service.list();
      if (rows.length === 0) console.log(`No staff accounts yet (database ${config.databasePath}). Create one with npm run staff:add.`);
      for (const a of rows) {
        const state = a.disabled ? 'disabled' : 'active';
        console.log(`${a.username.padEnd(24)} ${a.role.padEnd(8)} ${state.padEnd(9)} last login ${a.lastLoginAt ?? 'never'}${a.displayName ? `  (${a.displayName})` : ''}`);
      }
      return 0;
    }
    if (!values.username) {
      console.error(USAGE);
      return 2;
    }
    if (command === 'add') {
      if (!values.role || !(STAFF_ROLES as readonly string[]).includes(values.role)) {
        console.error(`--role must be one of ${STAFF_ROLES.join(', ')}\n\n${USAGE}`);
        return 2;
      }
      const account = await service.create(
        { username: values.username, role: values.role as StaffRole, password: await newPassword(values.password), displayName: values.name, zaloUserId: values['zalo-id'] },
        by,
      );
      console.log(`Created ${account.username} (${account.role}). They log in at /admin.`);
      return 0;
    }
    if (command === 'passwd') {
      await service.setPassword(values.username, await newPassword(values.password), by);
      console.log(`Password of ${values.username.toLowerCase()} changed; their open sessions are ended.`);
      return 0;
    }
    console.error(USAGE);
    return 2;
  } finally {
    db.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    // A refusal prints the same Vietnamese sentence the console shows, and its code for scripts.
    if (err instanceof AppError) {
      console.error(`${err.message} (${err.code})`);
      process.exit(1);
    }
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    if (err instanceof Error && (err.message === 'cancelled' || (err as NodeJS.ErrnoException).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION')) {
      console.error(err.message === 'cancelled' ? 'Cancelled.' : `${err.message}\n\n${USAGE}`);
      process.exit(2);
    }
    throw err;
  },
);
