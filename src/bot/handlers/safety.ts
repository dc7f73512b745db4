import type { Translate } from '../../i18n/index.ts';
import { text, type Button } from '../../messages.ts';
import type { BotContext, HandlerOutcome } from '../context.ts';

type Outcome = HandlerOutcome & { intent: string };

/** Danger now, a crime to report, a complaint about an officer: numbers and where to go, before anything else. */
export function createSafetyHandlers(deps: { hotline: string | undefined }) {
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
  };
}

export type SafetyHandlers = ReturnType<typeof createSafetyHandlers>;
