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

// Field weights: what citizens call a procedure counts most, then its summary, then the rest.
const BOOST = { title: 3, aliases: 3, en: 2, summary: 1.2, body: 0.6, phon: 1.5 };
// A known name found whole in the question multiplies the score by (1 + PHRASE_WEIGHT × its words).
const PHRASE_WEIGHT = 0.2;
/** Naming a procedure the way citizens do is the strongest evidence there is. */
const PHRASE_BASE = 0.5;
const COVERAGE_MIN = 0.75;
const COVERAGE_WEIGHT = 0.8;

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

interface Doc {
  id: string;
  title: string;
  aliases: string;
  en: string;
  summary: string;
  body: string;
  phon: string;
}

interface Prepared {
  procedure: Procedure;
  /** Title and aliases, normalised and expanded exactly like questions are. */
  phrases: { text: string; words: number; content: string[] }[];
  khmer: string[];
}

/** Builds a MiniSearch index over the procedures (names weighted above summaries above bodies). */
export function createProcedureIndex(procedures: Procedure[], lexicon: Lexicon): ProcedureIndex {
  const byId = new Map<string, Prepared>();
  const prep = (s: string) => expandAbbreviations(normalizeText(s), lexicon);
  const none = new Set<string>();
  const words = (s: string) => searchWords(prep(s), lexicon, none).join(' ');
  const docs: Doc[] = procedures.map((p) => {
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
      body: words([p.field, p.agency, p.eligibility ?? '', p.result ?? '', ...p.documents, ...p.notes].join(' | ')),
      phon: tokenize(names.join(' ')).map(phoneticKey).join(' '),
    };
  });

  const index = new MiniSearch<Doc>({
    fields: ['title', 'aliases', 'en', 'summary', 'body', 'phon'],
    storeFields: [],
    tokenize: (s) => s.split(/[\s|]+/).filter(Boolean),
    processTerm: (t) => t,
    searchOptions: { boost: BOOST, combineWith: 'OR' },
  });
  index.addAll(docs);

  function searchKhmer(query: PreparedQuery, limit: number): SearchHit[] {
    const q = normalizeText(query.raw).replace(/\s+/g, '');
    const hits: SearchHit[] = [];
    for (const { procedure, khmer } of byId.values()) {
      let best = 0;
      let phrase: string | undefined;
      for (const alias of khmer) {
        if (alias.length === 0) continue;
        const score = q.includes(alias) ? 10 + alias.length / 10 : overlapScore(q, alias);
        if (score > best) {
          best = score;
          phrase = alias;
        }
      }
      if (best > 0) hits.push({ id: procedure.id, score: best, phrase });
    }
    return hits.sort((a, b) => b.score - a.score).slice(0, limit);
  }

  return {
    search(query, limit = 5) {
      const khmer = query.language === 'km' ? searchKhmer(query, limit) : [];
      if (query.tokens.length === 0) return khmer.map((h) => ({ ...h, score: h.score * 10 }));
      const exact = index.search(query.tokens.join(' '), {
        fields: ['title', 'aliases', 'en', 'summary', 'body'],
        fuzzy: (term) => (term.length >= 4 ? 1 : false),
        prefix: (term, i, terms) => i === terms.length - 1 && term.length >= 4,
        weights: { fuzzy: 0.5, prefix: 0.4 },
      });
      const phonetic = index.search(query.tokens.map(phoneticKey).join(' '), { fields: ['phon'] });
      const scores = new Map<string, number>();
      for (const r of exact) scores.set(r.id as string, r.score);
      for (const r of phonetic) scores.set(r.id as string, (scores.get(r.id as string) ?? 0) + r.score * 0.3);
      for (const k of khmer) scores.set(k.id, (scores.get(k.id) ?? 0) * 1.5 + k.score * 10);
      const padded = [` ${query.expanded} `, ` ${query.tokens.join(' ')} `];
      const present = new Set(searchWords(query.expanded, lexicon, none));
      const hits: SearchHit[] = [];
      for (const [id, base] of scores) {
        const prepared = byId.get(id);
        if (!prepared) continue;
        let bonus = 0;
        let phrase: string | undefined;
        for (const p of prepared.phrases) {
          if (p.words === 0 || !padded.some((t) => t.includes(` ${p.text} `))) continue;
          const b = PHRASE_BASE + PHRASE_WEIGHT * p.words;
          if (b > bonus) {
            bonus = b;
            phrase = p.text;
          }
        }
        // A long name whose words are nearly all in the question, in any order, counts almost as much.
        for (const p of prepared.phrases) {
          if (p.content.length < 3) continue;
          const found = p.content.filter((w) => present.has(w)).length;
          if (found / p.content.length < COVERAGE_MIN) continue;
          bonus = Math.max(bonus, PHRASE_WEIGHT * found * COVERAGE_WEIGHT);
        }
        hits.push({ id, score: (base / Math.sqrt(query.tokens.length)) * (1 + bonus), phrase });
      }
      return hits.sort((a, b) => b.score - a.score).slice(0, limit);
    },
    get: (id) => byId.get(id)?.procedure,
    all: () => procedures,
  };
}

/** Share of the alias covered by its longest common substring with the question (Khmer has no spaces). */
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
