import MiniSearch from 'minisearch';
import { expandAbbreviations, searchWords, type PreparedQuery } from '../text/expand.ts';
import type { Lexicon } from '../text/lexicon.ts';
import { normalizeText, tokenize } from '../text/normalize.ts';
import type { Procedure } from './schema.ts';

/** One ranked procedure. */
export interface SearchHit {
  id: string;
  score: number;
  /** The alias or title phrase found whole in the question, if any. */
  phrase: string | undefined;
}

export interface ProcedureIndex {
  search(query: PreparedQuery, limit?: number): SearchHit[];
  get(id: string): Procedure | undefined;
  all(): Procedure[];
}

/** The fields a search engine indexes for a procedure, already normalised and expanded. */
export interface SearchDoc {
  id: string;
  title: string;
  aliases: string;
  en: string;
  summary: string;
  body: string;
  /** Title and aliases in phonetic form (see phoneticKey). */
  phon: string;
}

// Field weights: what citizens call a procedure counts most, then its summary, then the rest.
export const FIELD_BOOST = { title: 3, aliases: 3, en: 2, summary: 1.2, body: 0.6, phon: 1.5 };
/** Naming a procedure the way citizens do is the strongest evidence there is. */
const PHRASE_BASE = 0.5;
// A known name found whole multiplies the score by (1 + PHRASE_BASE + PHRASE_WEIGHT × its words).
const PHRASE_WEIGHT = 0.2;
// A long name whose words are nearly all in the question, in any order, counts almost as much.
const COVERAGE_MIN = 0.75;
const COVERAGE_WEIGHT = 0.8;
const PHONETIC_WEIGHT = 0.3;
const RERANK_CANDIDATES = 60;

/**
 * Southern and Northern spelling confusions folded together (tr/ch, s/x, gi/r/d/v), so
 * "tạm chú", "sổ/xổ" or "dăng/răng" still find their word.
 */
export function phoneticKey(token: string): string {
  return token
    .replace(/^tr/, 'ch')
    .replace(/^s/, 'x')
    .replace(/^gi/, 'd')
    .replace(/^[rv]/, 'd');
}

interface Names {
  procedure: Procedure;
  /** Title and aliases, normalised and expanded exactly like questions are. */
  phrases: { text: string; words: number; content: string[] }[];
  khmer: string[];
}

/**
 * What every search engine shares: the documents to index, and the re-ranking that rewards a
 * question naming a procedure (whole alias, or nearly all of its words) and Khmer aliases.
 */
export interface NameRanker {
  docs: SearchDoc[];
  /** Turns engine scores into ranked hits with name bonuses. */
  rank(query: PreparedQuery, engineScores: Map<string, number>, limit: number): SearchHit[];
  get(id: string): Procedure | undefined;
}

/** Prepares procedures for indexing and builds the name-based re-ranker. */
export function createNameRanker(procedures: Procedure[], lexicon: Lexicon): NameRanker {
  const byId = new Map<string, Names>();
  const prep = (s: string) => expandAbbreviations(normalizeText(s), lexicon);
  const none = new Set<string>();
  const words = (s: string) => searchWords(prep(s), lexicon, none).join(' ');
  // Long fields count each word once: their weight is low and it halves the index size.
  const distinctWords = (s: string) => [...new Set(searchWords(prep(s), lexicon, none))].join(' ');
  const docs: SearchDoc[] = procedures.map((p) => {
    const names = [p.title, ...p.aliases].map(prep);
    const phrases = [...names, ...p.en_aliases.map(prep)]
      .filter((t) => t.length > 0)
      .map((text) => {
        const content = [...new Set(tokenize(text).filter((w) => !lexicon.stopwords.vi.has(w)))];
        return { text, words: content.length, content };
      });
    byId.set(p.id, { procedure: p, phrases, khmer: p.km_aliases.map((k) => normalizeText(k).replace(/\s+/g, '')) });
    return {
      id: p.id,
      title: names[0] ?? '',
      aliases: names.slice(1).join(' | '),
      en: [...p.en_aliases, p.summary_en ?? ''].map(prep).join(' | '),
      summary: words(p.summary),
      body: distinctWords([p.field, p.agency, p.eligibility ?? '', p.result ?? '', ...p.documents, ...p.notes].join(' | ')),
      phon: tokenize(names.join(' ')).map(phoneticKey).join(' '),
    };
  });

  /** Khmer has no spaces: aliases are found as substrings, or by a long common run of letters. */
  function khmerScores(query: PreparedQuery): Map<string, number> {
    const q = normalizeText(query.raw).replace(/\s+/g, '');
    const out = new Map<string, number>();
    for (const { procedure, khmer } of byId.values()) {
      let best = 0;
      for (const alias of khmer) {
        if (alias.length === 0) continue;
        best = Math.max(best, q.includes(alias) ? 10 + alias.length / 10 : overlapScore(q, alias));
      }
      if (best > 0) out.set(procedure.id, best);
    }
    return out;
  }

  return {
    docs,
    get: (id) => byId.get(id)?.procedure,
    rank(query, engineScores, limit) {
      const scores = new Map(engineScores);
      const khmer = query.language === 'km' ? khmerScores(query) : new Map<string, number>();
      for (const [id, k] of khmer) scores.set(id, (scores.get(id) ?? 0) * 1.5 + k * 10);
      const padded = [` ${query.expanded} `, ` ${query.tokens.join(' ')} `];
      const present = new Set(searchWords(query.expanded, lexicon, none));
      const norm = Math.sqrt(Math.max(1, query.tokens.length));
      const hits: SearchHit[] = [];
      // Only the strongest engine candidates are re-ranked: names lift a good match, not a stray one.
      const candidates = [...scores].sort((a, b) => b[1] - a[1]).slice(0, RERANK_CANDIDATES);
      for (const [id, base] of candidates) {
        const names = byId.get(id);
        if (!names) continue;
        let bonus = 0;
        let phrase: string | undefined;
        for (const p of names.phrases) {
          if (p.words === 0) continue;
          if (padded.some((t) => t.includes(` ${p.text} `))) {
            const b = PHRASE_BASE + PHRASE_WEIGHT * p.words;
            if (b > bonus || (b === bonus && phrase === undefined)) {
              bonus = b;
              phrase = p.text;
            }
          } else if (p.content.length >= 3) {
            const found = p.content.filter((w) => present.has(w)).length;
            if (found / p.content.length >= COVERAGE_MIN) bonus = Math.max(bonus, PHRASE_WEIGHT * found * COVERAGE_WEIGHT);
          }
        }
        // A Khmer alias found whole in the question names the procedure as surely as a Vietnamese one.
        if ((khmer.get(id) ?? 0) >= 10 && PHRASE_BASE + PHRASE_WEIGHT * 4 > bonus) {
          bonus = PHRASE_BASE + PHRASE_WEIGHT * 4;
          phrase = 'km';
        }
        hits.push({ id, score: (base / norm) * (1 + bonus), phrase });
      }
      return hits.sort((a, b) => b.score - a.score).slice(0, limit);
    },
  };
}

/** Builds the MiniSearch index (BM25, one typo in words of 4+ letters, prefix on the last word). */
export function createProcedureIndex(procedures: Procedure[], lexicon: Lexicon): ProcedureIndex {
  const ranker = createNameRanker(procedures, lexicon);
  const index = new MiniSearch<SearchDoc>({
    fields: ['title', 'aliases', 'en', 'summary', 'body', 'phon'],
    storeFields: [],
    tokenize: (s) => s.split(/[\s|]+/).filter(Boolean),
    processTerm: (t) => t,
    searchOptions: { boost: FIELD_BOOST, combineWith: 'OR' },
  });
  index.addAll(ranker.docs);
  // Words the content uses: only other words are treated as possible typos (fuzzy) or unfinished (prefix).
  // (Fields are normalised words joined by single spaces, with " | " between aliases.)
  const vocabulary = new Set<string>();
  for (const d of ranker.docs) {
    for (const field of [d.title, d.aliases, d.en, d.summary, d.body]) {
      for (const word of field.split(' ')) if (word !== '' && word !== '|') vocabulary.add(word);
    }
  }

  return {
    search(query, limit = 5) {
      const scores = new Map<string, number>();
      if (query.tokens.length > 0) {
        const exact = index.search(query.tokens.join(' '), {
          fields: ['title', 'aliases', 'en', 'summary', 'body'],
          fuzzy: (term) => (term.length >= 4 && !vocabulary.has(term) ? 1 : false),
          prefix: (term, i, terms) => i === terms.length - 1 && term.length >= 4 && !vocabulary.has(term),
          weights: { fuzzy: 0.5, prefix: 0.4 },
        });
        for (const r of exact) scores.set(String(r.id), r.score);
        // Only words whose spelling the folding changes, or that the content never uses, need the phonetic pass.
        const phonetic = query.tokens.filter((t) => phoneticKey(t) !== t || !vocabulary.has(t)).map(phoneticKey);
        for (const r of phonetic.length > 0 ? index.search(phonetic.join(' '), { fields: ['phon'] }) : []) {
          scores.set(String(r.id), (scores.get(String(r.id)) ?? 0) + r.score * PHONETIC_WEIGHT);
        }
      }
      return ranker.rank(query, scores, limit);
    },
    get: ranker.get,
    all: () => procedures,
  };
}

/** Share of the alias covered by its longest common substring with the question. */
function overlapScore(q: string, alias: string): number {
  let longest = 0;
  for (let i = 0; i < alias.length; i++) {
    for (let j = i + longest + 1; j <= alias.length; j++) {
      if (q.includes(alias.slice(i, j))) longest = j - i;
      else break;
    }
  }
  const ratio = longest / alias.length;
  return ratio >= 0.6 && longest >= 4 ? ratio * 5 : 0;
}
