import { loadIntentModel } from '/work/main/src/classifier/intent-model.ts';
import { createUnderstander } from '/work/main/src/bot/understand.ts';
import { loadProcedureFiles } from '/work/main/src/procedures/content-loader.ts';
import { createProcedureIndex } from '/work/main/src/procedures/search.ts';
import { loadLexicon } from '/work/main/src/text/lexicon.ts';
const lexicon = loadLexicon('/work/main/content');
const index = createProcedureIndex(loadProcedureFiles('/work/main/content/procedures').procedures, lexicon);
const model = await loadIntentModel('/work/main/content');
const u = createUnderstander(lexicon, index, model);
for (const q of process.argv.slice(2)) {
  const r = u.understand(q);
  const top = Object.entries(r.scores).sort((a, b) => b[1] - a[1]).slice(0, 3).map(([k, v]) => `${k}:${v.toFixed(2)}`).join(' ');
  console.log(`${q} → ${r.intent}${r.request ? '/' + r.request : ''} conf ${r.confidence.toFixed(2)} pre[${r.safetyPreface}] | ${top} | ${r.hits.slice(0, 3).map((h) => `${h.id}:${h.score}${h.phrase ? '*' : ''}`).join(' ')} | proc ${model.procedures(q, 2).map((p) => `${p.id}:${p.p.toFixed(2)}`).join(' ')}`);
}
