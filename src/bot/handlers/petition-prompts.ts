import type { Translate } from '../../i18n/index.ts';
import { queryButton, text, type OutgoingMessage } from '../../messages.ts';
import type { ProcedureIndex } from '../../procedures/search.ts';
import { payloads } from '../payloads.ts';
import { draftContent, type PetitionDraft } from './petition-draft.ts';

const CMD = payloads.petition;

/** What the intake says at each step, with its buttons, and the summary before sending. */
export function createPetitionPrompts(deps: { index: ProcedureIndex; retentionDays: number }) {
  const content = draftContent;
  const cancelButton = (t: Translate) => queryButton(t('petition.buttons.cancel'), CMD('cancel'));

  function prompt(t: Translate, d: PetitionDraft): OutgoingMessage {
    switch (d.step) {
      case 'consent':
        return text(t('petition.consent', { retentionDays: deps.retentionDays }), [
          queryButton(t('petition.buttons.agree'), CMD('consent:yes')),
          queryButton(t('petition.buttons.disagree'), CMD('consent:no')),
        ]);
      case 'kind':
        return text(t('petition.kindAsk'), [
          queryButton(t('petition.buttons.phanAnh'), CMD('kind:phan_anh')),
          queryButton(t('petition.buttons.kienNghi'), CMD('kind:kien_nghi')),
          cancelButton(t),
        ]);
      case 'topic':
        return text(t('petition.topicAsk'), [
          queryButton(t('petition.buttons.topicProcedure'), CMD('topic:procedure')),
          queryButton(t('petition.buttons.topicConduct'), CMD('topic:conduct')),
          queryButton(t('petition.buttons.topicOther'), CMD('topic:other')),
          cancelButton(t),
        ]);
      case 'procedure':
        return text(t('petition.procedureAsk'), [queryButton(t('petition.buttons.skip'), CMD('proc:none')), cancelButton(t)]);
      case 'procedure_pick': {
        const procs = (d.choices ?? []).map((id) => deps.index.get(id)).filter((p) => p !== undefined);
        return text(t('petition.procedurePick', { list: procs.map((p, i) => `${i + 1}. ${p.title}`).join('\n') }), [
          ...procs.map((p, i) => queryButton(`${i + 1}. ${p.title}`.slice(0, 40), CMD(`proc:${p.id}`))),
          queryButton(t('petition.buttons.notListed'), CMD('proc:none')),
        ]);
      }
      case 'content':
        return text(t('petition.contentAsk'), [queryButton(t('petition.buttons.done'), CMD('done')), cancelButton(t)]);
      case 'name':
        return text(t('petition.nameAsk'), [queryButton(t('petition.buttons.zaloInfo'), CMD('zalo_info')), cancelButton(t)]);
      case 'phone':
        return text(t('petition.phoneAsk'), [cancelButton(t)]);
      case 'address':
        return text(t('petition.addressAsk'), [cancelButton(t)]);
      case 'confirm':
        return summary(t, d);
      case 'edit':
        return text(t('petition.editAsk'), [
          queryButton(t('petition.buttons.editContent'), CMD('edit:content')),
          queryButton(t('petition.buttons.editName'), CMD('edit:name')),
          queryButton(t('petition.buttons.editPhone'), CMD('edit:phone')),
          queryButton(t('petition.buttons.editAddress'), CMD('edit:address')),
          queryButton(t('petition.buttons.editKind'), CMD('edit:kind')),
        ]);
    }
  }

  function summary(t: Translate, d: PetitionDraft): OutgoingMessage {
    const proc = d.procedureId ? deps.index.get(d.procedureId) : undefined;
    const body = content(d);
    return text(
      t('petition.summary', {
        kind: d.kind ? t(`petition.kind.${d.kind}`) : '',
        topic: proc ? t('petition.topicProcedure', { title: proc.title }) : d.topic ? t(`petition.topic.${d.topic}`) : '',
        content: body.length > 600 ? `${body.slice(0, 600)}…` : body,
        images: d.attachments.length > 0 ? String(d.attachments.length) : t('petition.none'),
        name: d.name ?? '',
        phone: d.phone ?? '',
        address: d.address ?? '',
      }),
      [queryButton(t('petition.buttons.send'), CMD('submit')), queryButton(t('petition.buttons.edit'), CMD('edit')), cancelButton(t)],
    );
  }

  return { prompt, summary, cancelButton };
}
