import type { Language } from '../i18n/index.ts';
import type { ChannelKind, FeeItem, Localized, Procedure } from './schema.ts';

/**
 * A procedure's citizen-facing text in one language: the `en`/`km` block where the content has it, the Vietnamese
 * field where it does not (Vietnamese stays authoritative; `translated` says whether the summary was translated).
 */
export interface ProcedureView {
  /** The official Vietnamese title (shown as the heading: procedures are authoritative in Vietnamese). */
  title: string;
  /** The title in the reader's language when it differs (English or Khmer), else undefined. */
  localTitle: string | undefined;
  summary: string;
  translated: boolean;
  agency: string;
  processingTime: string;
  documents: string[];
  eligibility: string | undefined;
  notes: string[];
  exemptions: string[];
  feeNote: string | undefined;
  statusNote: string | undefined;
  feeCase(fee: FeeItem): string;
  feeCondition(fee: FeeItem): string | undefined;
  channelNote(kind: ChannelKind): string | undefined;
  channelTime(kind: ChannelKind): string | undefined;
}

/** Same length as the Vietnamese list, or the Vietnamese list (a partial translation would misnumber papers). */
const sameLength = (local: string[] | undefined, vi: string[]) => (local && local.length === vi.length ? local : vi);

/** The view of `p` in `language` (Vietnamese fields where no translation exists). */
export function localView(p: Procedure, language: Language): ProcedureView {
  const block: Localized | undefined = language === 'en' ? p.en : language === 'km' ? p.km : undefined;
  const summary = language === 'en' ? p.summary_en : language === 'km' ? p.summary_km : p.summary;
  const cases = block?.fee_cases ?? {};
  const channel = (kind: ChannelKind) => p.channels.find((c) => c.kind === kind);
  return {
    title: p.title,
    localTitle: block?.title,
    summary: summary ?? p.summary,
    translated: language === 'vi' || summary !== undefined,
    agency: block?.agency ?? p.agency,
    processingTime: block?.processing_time ?? p.processing_time,
    documents: sameLength(block?.documents, p.documents),
    eligibility: block?.eligibility ?? p.eligibility,
    notes: sameLength(block?.notes, p.notes),
    exemptions: sameLength(block?.exemptions, p.fees.exemptions),
    feeNote: block?.fee_note ?? p.fees.note,
    statusNote: block?.status_note ?? p.status_note,
    feeCase: (fee) => cases[fee.case] ?? fee.case,
    feeCondition: (fee) => (fee.condition === undefined ? undefined : (cases[fee.condition] ?? fee.condition)),
    channelNote: (kind) => block?.channel_notes?.[kind] ?? channel(kind)?.note,
    channelTime: (kind) => block?.channel_times?.[kind] ?? channel(kind)?.time,
  };
}
