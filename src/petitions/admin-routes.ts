import express, { type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import { AppError } from '../admin/app-error.ts';
import { dayRangeQuery, includePii, page, validate } from '../admin/request-schemas.ts';
import { staffMessage, type StaffMessageKey } from '../admin/staff-messages.ts';
import type { Clock } from '../clock.ts';
import type { I18n } from '../i18n/index.ts';
import type { ProcedureIndex } from '../procedures/search.ts';
import { dayRange } from '../time.ts';
import { maskKnownPersonal, maskName, maskPhone } from './contact.ts';
import { writeExport } from './petition-export.ts';
import { PETITION_STATUSES, type PetitionFilter, type PetitionRepository, type PetitionRow } from './petition-repository.ts';
import type { PetitionService, StatusChangeError } from './petition-service.ts';

const PAGE_SIZE = 20;
const filterQuery = z.object({
  status: z.enum(PETITION_STATUSES).optional(),
  ...dayRangeQuery,
  q: z.string().max(200).optional(),
});
const listQuery = filterQuery.extend({ page });
const exportQuery = filterQuery.extend({ format: z.enum(['csv', 'xlsx']).default('csv'), include_pii: includePii });
const patchBody = z.strictObject({
  status: z.enum(PETITION_STATUSES),
  reply: z.string().max(2000).optional(),
  note: z.string().max(2000).optional(),
  actor: z.string().min(1).max(100).optional(),
});

export interface PetitionAdminDeps {
  service: PetitionService;
  repo: PetitionRepository;
  index: ProcedureIndex;
  i18n: I18n;
  timeZone: string;
  clock: Clock;
}

// Handlers and admins work with personal data (access-policy.ts); a viewer's search must not reveal any.
const seesPersonalData = (req: Request) => req.actor?.role === 'admin' || req.actor?.role === 'handler';
// Masked first, then cut: a number cut in half would otherwise escape the mask.
const truncate = (s: string, max: number) => (s.length > max ? `${s.slice(0, max)}…` : s);

const notFound = (code: string) => new AppError(404, 'petition_not_found', staffMessage('petitionNotFound', { code }));
/** The service's refusals of a status change: HTTP status, code, message. */
const CHANGE_REFUSALS: Record<Exclude<StatusChangeError, 'not_found'>, [400 | 409, StaffMessageKey]> = {
  invalid_transition: [409, 'petitionInvalidTransition'],
  reason_required: [400, 'petitionReasonRequired'],
  nothing_to_change: [400, 'petitionNothingToChange'],
};

/** Staff JSON API for petitions: list, detail with history, status changes with replies, exports. */
export function createPetitionAdminRouter(deps: PetitionAdminDeps): Router {
  const router = express.Router();
  const procedureTitle = (id: string | null) => (id ? (deps.index.get(id)?.title ?? id) : '');
  const toFilter = (q: z.infer<typeof filterQuery>, req: Request): PetitionFilter => ({
    ...(q.status ? { status: q.status } : {}),
    ...(q.q ? { q: q.q, maskedSearch: !seesPersonalData(req) } : {}),
    ...dayRange(q.from, q.to, deps.timeZone),
  });
  // The list is a masked view for everyone (names and phones are masked there): so is the text in it.
  const maskedContent = (p: PetitionRow) => maskKnownPersonal(p.content, { name: p.name, address: p.address });
  const summary = (p: PetitionRow) => ({
    code: p.code,
    receivedAt: new Date(p.created_at).toISOString(),
    kind: p.kind,
    topic: p.topic,
    procedureId: p.procedure_id,
    procedureTitle: procedureTitle(p.procedure_id) || null,
    content: truncate(maskedContent(p), 200),
    language: p.language,
    needsTranslation: p.needs_translation === 1,
    name: maskName(p.name),
    phone: maskPhone(p.phone),
    status: p.status,
    updatedAt: new Date(p.updated_at).toISOString(),
  });

  router.get('/petitions', (req, res) => {
    const q = validate(listQuery, req.query);
    const { rows, total } = deps.repo.list(toFilter(q, req), PAGE_SIZE, (q.page - 1) * PAGE_SIZE);
    res.json({ items: rows.map(summary), page: q.page, pageSize: PAGE_SIZE, total });
  });

  router.get('/petitions/export', async (req: Request, res: Response) => {
    const q = validate(exportQuery, req.query);
    const { format, include_pii: withPii, from, to, status } = q;
    const name = `phan-anh_${from ?? 'dau'}_${to ?? 'nay'}.${format}`;
    res.setHeader('content-type', format === 'csv' ? 'text/csv; charset=utf-8' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    res.setHeader('content-disposition', `attachment; filename="${name}"`);
    let rows = 0;
    try {
      rows = await writeExport(deps.repo.iterate(toFilter(q, req)), res, {
        format,
        includePii: withPii,
        timeZone: deps.timeZone,
        t: deps.i18n.forLanguage('vi'),
        procedureTitle,
      });
    } finally {
      // Every export with personal data is recorded: who, when, which range (also one that broke off: the
      // error handler logs it, and cuts the download if it had started).
      if (withPii) {
        deps.repo.recordPiiExport({ actor: req.actor?.name ?? 'unknown', ...(from ? { from } : {}), ...(to ? { to } : {}), ...(status ? { status } : {}), format, rows }, deps.clock.now().getTime());
      }
    }
  });

  router.get('/petitions/:code', (req, res) => {
    const p = deps.repo.byCode(req.params.code.toUpperCase());
    if (!p) throw notFound(req.params.code.toUpperCase());
    res.json({
      ...summary(p),
      content: p.content,
      name: p.name,
      phone: p.phone,
      address: p.address,
      publicReply: p.public_reply,
      consentAt: new Date(p.consent_at).toISOString(),
      closedAt: p.closed_at ? new Date(p.closed_at).toISOString() : null,
      anonymizedAt: p.anonymized_at ? new Date(p.anonymized_at).toISOString() : null,
      attachments: deps.repo.attachments(p.id).map((a) => ({ type: a.type, url: a.url })),
      history: deps.repo.history(p.id).map((h) => ({
        at: new Date(h.at).toISOString(),
        actor: h.actor,
        from: h.from_status,
        to: h.to_status,
        note: h.note,
        reply: h.reply,
      })),
    });
  });

  router.patch('/petitions/:code', (req, res) => {
    const body = validate(patchBody, req.body ?? {});
    // The history names who is authenticated (a staff member, or "admin-token" for the bearer), never a name the
    // caller writes into the body: `actor` is still accepted for old scripts, and ignored.
    const actor = req.actor?.name ?? 'staff';
    const code = req.params.code.toUpperCase();
    const result = deps.service.changeStatus(code, { ...body, actor });
    if (!result.ok) {
      if (result.error === 'not_found') throw notFound(code);
      const [status, key] = CHANGE_REFUSALS[result.error];
      throw new AppError(status, result.error, staffMessage(key));
    }
    res.json(summary(result.petition));
  });

  return router;
}
