import type { Translate } from '../../i18n/index.ts';
import { queryButton, text, type Button } from '../../messages.ts';
import { shortTitle } from '../../procedures/format-parts.ts';
import { payloads } from '../payloads.ts';
import type { BotContext, HandlerOutcome } from '../context.ts';

type Outcome = HandlerOutcome & { intent: string };

/** Danger now, a crime to report, a complaint about an officer: numbers and where to go, before anything else. */
export function createSafetyHandlers(deps: { hotline: string | undefined; titleOf: (procedureId: string) => string | undefined }) {
  const hotlineLine = (t: Translate) => (deps.hotline ? t('intent.hotlineSuffix', { hotline: deps.hotline }) : '');
  const call = (t: Translate, number: string): Button => ({ kind: 'phone', title: t('intent.call', { number }), phone: number });
  return {
    /** 113 / 114 / 115 with call buttons, the most relevant first. */
    emergency(ctx: BotContext): Outcome {
      const numbers = ctx.understanding?.emergencyNumbers ?? [];
      const t = ctx.t;
      return {
        replies: [text([...numbers.map((n) => t(`intent.emergencyLine_${n}`)), t('intent.emergencyNote')].join('\n'), numbers.map((n) => call(t, n)))],
        intent: 'emergency',
      };
    },
    crimeReport(ctx: BotContext): Outcome {
      return { replies: [text(ctx.t('intent.crimeReport', { hotlineLine: hotlineLine(ctx.t) }), [call(ctx.t, '113')])], intent: 'crime_report' };
    },
    complaint(ctx: BotContext): Outcome {
      return { replies: [text(ctx.t('intent.complaint', { hotlineLine: hotlineLine(ctx.t) }))], intent: 'complaint' };
    },
    /** A likely fraud: the warning, what to do now, where to report. */
    scam(ctx: BotContext): Outcome {
      return { replies: [text(ctx.t('intent.scam', { hotlineLine: hotlineLine(ctx.t) }), [call(ctx.t, '113')])], intent: 'scam' };
    },
    /** How to break the law, or someone else's data: one plain sentence why not, then the lawful way when there is one. */
    refuse(ctx: BotContext): Outcome {
      const id = ctx.understanding?.hits[0]?.id;
      const title = id === undefined ? undefined : deps.titleOf(id);
      const t = ctx.t;
      const next = id && title ? t('intent.refuseLawful', { title }) : t('intent.refuseNoLawful');
      const buttons: Button[] = id && title ? [queryButton(shortTitle(title), payloads.procedure(id))] : [];
      const kind = ctx.understanding?.refuseKind;
      return { replies: [text(`${t(kind ? `intent.refuse_${kind}` : 'intent.refuse')}\n${next}`, buttons)], intent: 'refuse' };
    },
  };
}

export type SafetyHandlers = ReturnType<typeof createSafetyHandlers>;
