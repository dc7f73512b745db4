import Database from 'better-sqlite3';
import { createNameRanker, FIELD_BOOST, phoneticKey, type ProcedureIndex } from '../../src/procedures/search.ts';
import type { Procedure } from '../../src/procedures/schema.ts';
import type { Lexicon } from '../../src/text/lexicon.ts';

/**
 * The SQLite FTS5 alternative to the MiniSearch index, with the same documents, field weights and
 * name re-ranking, kept for `npm run bench:search` to compare the two engines on the question sets.
 */
export function createFtsProcedureIndex(procedures: Procedure[], lexicon: Lexicon): ProcedureIndex & { close(): void } {
  const ranker = createNameRanker(procedures, lexicon);
  const db = new Database(':memory:');
  db.exec(`CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, title, aliases, en, summary, body, phon, tokenize = "unicode61 remove_diacritics 0 tokenchars '_'")`);
  const insert = db.prepare('INSERT INTO docs (id, title, aliases, en, summary, body, phon) VALUES (?, ?, ?, ?, ?, ?, ?)');
  db.transaction(() => {
    for (const d of ranker.docs) insert.run(d.id, d.title, d.aliases, d.en, d.summary, d.body, d.phon);
  })();
  const b = FIELD_BOOST;
  const search = db.prepare(
    `SELECT id, -bm25(docs, 0, ${b.title}, ${b.aliases}, ${b.en}, ${b.summary}, ${b.body}, ${b.phon}) AS score FROM docs WHERE docs MATCH ? ORDER BY score DESC LIMIT 50`,
  );
  const quote = (t: string) => `"${t.replace(/"/g, '""')}"`;
  return {
    search(query, limit = 5) {
      const scores = new Map<string, number>();
      if (query.tokens.length > 0) {
        const terms = [
          ...query.tokens.map((t, i) => (i === query.tokens.length - 1 && t.length >= 4 ? `${quote(t)}*` : quote(t))),
          ...query.tokens.map((t) => `phon : ${quote(phoneticKey(t))}`),
        ];
        // bm25 is small next to MiniSearch scores; scale so the shared thresholds mean the same.
        for (const r of search.all(terms.join(' OR ')) as { id: string; score: number }[]) scores.set(r.id, r.score * 20);
      }
      return ranker.rank(query, scores, limit);
    },
    get: ranker.get,
    all: () => procedures,
    close: () => db.close(),
  };
}
