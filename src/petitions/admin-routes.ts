import express, { type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import type { Clock } from '../clock.ts';
import type { I18n } from '../i18n/index.ts';
import type { ProcedureIndex } from '../procedures/search.ts';
import { zonedTimeToEpoch } from '../time.ts';
import { maskKnownPersonal, maskName, maskPhone } from './contact.ts';
import { writeExport } from './petition-export.ts';
import { PETITION_STATUSES, type PetitionFilter, type PetitionRepository, type PetitionRow } from './petition-repository.ts';
import type { PetitionService } from './petition-service.ts';

const PAGE_SIZE = 20;
const isoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'use YYYY-MM-DD');
const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .optional()
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const filterQuery = z.object({
  status: z.enum(PETITION_STATUSES).optional(),
  from: isoDay.optional(),
  to: isoDay.optional(),
  q: z.string().max(200).optional(),
});
const listQuery = filterQuery.extend({ page: z.coerce.number().int().min(1).max(100_000).default(1) });
const exportQuery = filterQuery.extend({ format: z.enum(['csv', 'xlsx']).default('csv'), include_pii: bool });
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

/** Local calendar days (YYYY-MM-DD) → an inclusive epoch range. */
export function dayRange(from: string | undefined, to: string | undefined, timeZone: string): { from?: number; to?: number } {
  const epoch = (d: string, plusDays = 0) => {
    const [year, month, day] = d.split('-').map(Number) as [number, number, number];
    return zonedTimeToEpoch({ year, month, day: day + plusDays }, timeZone);
  };
  return { ...(from ? { from: epoch(from) } : {}), ...(to ? { to: epoch(to, 1) - 1 } : {}) };
}

// Handlers and admins work with personal data (access-policy.ts); a viewer's search must not reveal any.
const seesPersonalData = (req: Request) => req.actor?.role === 'admin' || req.actor?.role === 'handler';
// Masked first, then cut: a number cut in half would otherwise escape the mask.
const truncate = (s: string, max: number) => (s.length > max ? `${s.slice(0, max)}…` : s);

function badRequest(res: Response, error: z.ZodError): void {
  res.status(400).json({ error: 'invalid request', details: error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`) });
}

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
    const q = listQuery.safeParse(req.query);
    if (!q.success) return badRequest(res, q.error);
    const { rows, total } = deps.repo.list(toFilter(q.data, req), PAGE_SIZE, (q.data.page - 1) * PAGE_SIZE);
    res.json({ items: rows.map(summary), page: q.data.page, pageSize: PAGE_SIZE, total });
  });

  router.get('/petitions/export', async (req: Request, res: Response) => {
    const q = exportQuery.safeParse(req.query);
    if (!q.success) return badRequest(res, q.error);
    const { format, include_pii: includePii, from, to, status } = q.data;
    const name = `phan-anh_${from ?? 'dau'}_${to ?? 'nay'}.${format}`;
    res.setHeader('content-type', format === 'csv' ? 'text/csv; charset=utf-8' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    res.setHeader('content-disposition', `attachment; filename="${name}"`);
    let rows = 0;
    try {
      rows = await writeExport(deps.repo.iterate(toFilter(q.data, req)), res, {
        format,
        includePii,
        timeZone: deps.timeZone,
        t: deps.i18n.forLanguage('vi'),
        procedureTitle,
      });
    } catch (err) {
      req.log.error({ err: (err as Error).message }, 'Petition export failed');
      if (!res.headersSent) res.status(500).json({ error: 'export failed' });
      else res.destroy();
    } finally {
      // Every export with personal data is recorded: who, when, which range.
      if (includePii) {
        deps.repo.recordPiiExport({ actor: req.actor?.name ?? 'unknown', ...(from ? { from } : {}), ...(to ? { to } : {}), ...(status ? { status } : {}), format, rows }, deps.clock.now().getTime());
      }
    }
  });

  router.get('/petitions/:code', (req, res) => {
    const p = deps.repo.byCode(req.params.code.toUpperCase());
    if (!p) return void res.status(404).json({ error: 'petition not found' });
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
    const body = patchBody.safeParse(req.body ?? {});
    if (!body.success) return badRequest(res, body.error);
    // The history names who is authenticated (a staff member, or "admin-token" for the bearer), never a name the
    // caller writes into the body: `actor` is still accepted for old scripts, and ignored.
    const actor = req.actor?.name ?? 'staff';
    const result = deps.service.changeStatus(req.params.code.toUpperCase(), { ...body.data, actor });
    if (!result.ok) {
      const status = result.error === 'not_found' ? 404 : result.error === 'invalid_transition' ? 409 : 400;
      const messages: Record<string, string> = {
        not_found: 'petition not found',
        invalid_transition: 'this status change is not allowed (received → processing → answered | forwarded | rejected; closed petitions stay closed)',
        reason_required: 'rejecting needs a reason: give a reply or a note',
        nothing_to_change: 'same status without a reply or a note: nothing to record',
      };
      return void res.status(status).json({ error: messages[result.error] });
    }
    res.json(summary(result.petition));
  });

  return router;
}
