import { statSync } from 'node:fs';
import { ConfigError } from './config.ts';
import type { Db } from './db/open.ts';

// Start-up problems an operator fixes in the settings: each becomes one ConfigError line that names the env key
// (main.ts prints it and exits with code 2) instead of a stack trace, and each is found before the port opens.

const code = (err: unknown): string => String((err as { code?: unknown }).code ?? '');
const firstLine = (err: unknown): string => String((err as Error).message ?? err).split('\n')[0]!.trim();

/**
 * Opens the database with `open` (it creates the folder and migrates), then runs PRAGMA quick_check: a file
 * damaged in the middle opens fine and only fails when a query reaches the bad pages, which used to be after the
 * bot was already listening. quick_check reads every page once (about a second per few hundred MB).
 */
export function openCheckedDatabase(path: string, open: (path: string) => Db): Db {
  let db: Db;
  try {
    db = open(path);
  } catch (err) {
    throw databaseError(path, err);
  }
  let problems: string[];
  try {
    problems = (db.pragma('quick_check(3)', { simple: false }) as { quick_check: string }[]).map((r) => r.quick_check);
  } catch (err) {
    problems = [firstLine(err)];
  }
  if (problems.length !== 1 || problems[0] !== 'ok') {
    db.close();
    // SQLite's first row starts with a "*** in database main ***" line; the problem itself is on the next one.
    const first = problems.join('\n').split('\n').map((l) => l.trim()).find((l) => l !== '' && !l.startsWith('***')) ?? 'failed';
    throw new ConfigError(
      `DATABASE_PATH=${path}: the database is damaged (PRAGMA quick_check: ${first}); restore it from a backup (README, "Backups and restore") or point DATABASE_PATH at another file.`,
    );
  }
  return db;
}

function databaseError(path: string, err: unknown): ConfigError {
  const c = code(err);
  if (c === 'SQLITE_NOTADB') return new ConfigError(`DATABASE_PATH=${path} is not an SQLite database: point DATABASE_PATH at the bot's database file, or at a new file name to start empty.`);
  if (c.startsWith('SQLITE_CORRUPT')) return new ConfigError(`DATABASE_PATH=${path}: the database is damaged (${firstLine(err)}); restore it from a backup (README, "Backups and restore").`);
  if (['ENOTDIR', 'EEXIST', 'EACCES', 'EPERM', 'EROFS', 'ENOENT'].includes(c) || c.startsWith('SQLITE_CANTOPEN') || c.startsWith('SQLITE_READONLY') || c.startsWith('SQLITE_PERM')) {
    return new ConfigError(`DATABASE_PATH=${path} cannot be created or written (${c}: ${firstLine(err)}); choose a path in a folder the bot's user can write.`);
  }
  return new ConfigError(`DATABASE_PATH=${path} cannot be opened (${c || 'error'}: ${firstLine(err)}).`);
}

/** CONTENT_DIR must be a folder before anything is loaded from it. */
export function checkContentDir(dir: string): void {
  let isDir = false;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    // missing: reported below
  }
  if (!isDir) throw new ConfigError(`CONTENT_DIR=${dir} is not a folder: set CONTENT_DIR to the content folder (procedures, lexicon, quizzes; default ./content).`);
}

/** Runs `load` (which reads CONTENT_DIR), turning a content failure into one line naming CONTENT_DIR. */
export function loadingContent<T>(dir: string, load: () => T): T {
  try {
    return load();
  } catch (err) {
    throw contentError(dir, err);
  }
}

/** loadingContent for a load that is asynchronous (the intent model). */
export async function loadingContentAsync<T>(dir: string, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (err) {
    throw contentError(dir, err);
  }
}

/** A content loading failure as one line naming CONTENT_DIR (the loaders list every problem on lines of their own). */
function contentError(dir: string, err: unknown): ConfigError {
  // "Content errors (…):\n  file: problem\n  file: problem": the first problem, whose own text (a YAML error quotes
  // the bad lines) is cut at its first line break; content:check prints them all.
  const lines = String((err as Error).message ?? err).split('\n').map((l) => l.trim()).filter(Boolean);
  const first = (/^(Content|Quiz content) errors/.test(lines[0] ?? '') ? lines[1] : lines[0]) ?? 'unreadable';
  return new ConfigError(`CONTENT_DIR=${dir} has invalid content: ${first.replace(/:$/, '')} (npm run content:check lists every problem).`);
}

/** The server could not listen: a setting the operator can change, said as such. */
export function listenError(err: unknown, port: number, host: string): Error {
  const c = code(err);
  if (c === 'EADDRINUSE') return new ConfigError(`PORT=${port} is already in use on ${host} (another copy of the bot?): stop it or set PORT to a free port.`);
  if (c === 'EACCES') return new ConfigError(`PORT=${port} needs privileges this user does not have: use a port above 1023 (behind the reverse proxy).`);
  if (c === 'EADDRNOTAVAIL' || c === 'ENOTFOUND' || c === 'EAI_AGAIN') return new ConfigError(`HOST=${host} is not an address of this machine: set HOST to 127.0.0.1, 0.0.0.0 or one of its addresses.`);
  return err as Error;
}
