import { queryButton, text, type Button, type OutgoingMessage } from '../../messages.ts';
import { composition, departmentAnswer, districtAnswer, optionLine, optionTitle, policeName, unitAnswer } from '../../units/answer.ts';
import { districtSlug, splitTypeName, type District, type PlaceIndex } from '../../units/place-index.ts';
import { CHANGE_PHRASES } from '../../units/place-words.ts';
import { placeTokens, resolvePlace, type PlaceOption, type PlaceResolution } from '../../units/resolve.ts';
import type { OldUnit, Unit } from '../../units/schema.ts';
import type { UserUnitStore } from '../../units/user-unit-store.ts';
import type { BotContext, HandlerOutcome } from '../context.ts';
import { payloads } from '../payloads.ts';

/** A procedure as this conversation needs it: its title, levels and where it is filed. */
export interface ProcedureInfo {
  title: string;
  levels: string[];
  agency: string;
}

export interface UnitHandlerDeps {
  index: PlaceIndex;
  hotline: string | undefined;
  procedure: (id: string) => ProcedureInfo | undefined;
  /** The citizen's own commune, remembered once said. */
  store: UserUnitStore;
}

type Outcome = HandlerOutcome & { intent: string };

const MAX_BUTTONS = 5;
/** A commune typed this soon after the bot asked for it is the citizen's answer. */
const ANSWER_WINDOW_MS = 30 * 60_000;
const CHANGE_MAX_TOKENS = 8;
const BUTTON_TITLE_MAX = 40;
const EARTH_KM = 6371;
const short = (s: string) => (s.length <= BUTTON_TITLE_MAX ? s : `${s.slice(0, BUTTON_TITLE_MAX - 1).trimEnd()}…`);

/** Kilometres between two points (haversine). */
export function distanceKm(a: { lat: number; lng: number }, b: { lat: number; lng: number }): number {
  const rad = (d: number) => (d * Math.PI) / 180;
  const h = Math.sin(rad(b.lat - a.lat) / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(rad(b.lng - a.lng) / 2) ** 2;
  return 2 * EARTH_KM * Math.asin(Math.sqrt(h));
}

/**
 * "Where is my commune police": a commune, ward, old unit or district named with a where-word (or alone) gets the
 * unit serving it now, what is known of its address and phone, its centre and who else to ask; an old name that
 * existed in several places gets one question with buttons; a district, the units covering it; a department, what
 * is known of it. A shared location asks for the commune name (or names the nearest unit once units have coordinates).
 */
export function createUnitHandlers(deps: UnitHandlerDeps) {
  const dutyDesk = deps.index.departments.find((d) => d.id === 'truc-ban');
  const resolved = new WeakMap<BotContext, PlaceResolution>();
  const resolution = (ctx: BotContext) => {
    let r = resolved.get(ctx);
    if (!r) {
      r = resolvePlace(deps.index, ctx.text);
      resolved.set(ctx, r);
    }
    return r;
  };

  /** The procedure a question asks about, when it is filed at the commune police (so the unit answers it). */
  function communeProcedure(ctx: BotContext): (ProcedureInfo & { id: string }) | undefined {
    const u = ctx.understanding;
    const id = u?.intent === 'procedure' ? u.hits[0]?.id : undefined;
    const p = id ? deps.procedure(id) : undefined;
    return id && p?.levels.includes('xa') ? { ...p, id } : undefined;
  }

  /** "Tôi ở xã khác". */
  function changes(ctx: BotContext): boolean {
    const tokens = placeTokens(ctx.text);
    const joined = ` ${tokens.join(' ')} `;
    return tokens.length <= CHANGE_MAX_TOKENS && CHANGE_PHRASES.some((p) => joined.includes(` ${p} `));
  }

  /** The bot asked for the citizen's commune a moment ago and has no answer yet. */
  function awaited(ctx: BotContext): boolean {
    const own = deps.store.get(ctx.userId);
    return own.unitId === undefined && own.askedAt !== undefined && ctx.now.getTime() - own.askedAt < ANSWER_WINDOW_MS;
  }

  function matches(ctx: BotContext): boolean {
    if (ctx.event.type !== 'text' || ctx.payload || ctx.text.trim().length === 0) return false;
    if (changes(ctx)) return true;
    const u = ctx.understanding;
    // Another agency's business named by its words ("đăng ký kinh doanh ở Kế Sách"): that answer, not the place.
    if (u?.intent === 'out_of_scope' && u.outOfScopeWhere) return false;
    const r = resolution(ctx);
    const kind = r.answer.kind;
    if (kind === 'none') return false;
    // A procedure question that names a place: only "where" in so many words, one unit said for certain, and a
    // procedure the commune police handles (the answer names both). Otherwise the procedure's own answer.
    if (u?.intent === 'procedure') return r.asksWhereStrictly && r.strong && kind === 'unit' && communeProcedure(ctx) !== undefined;
    // A department by name, when the message is not about one of its procedures.
    if (kind === 'department') return r.asksWhere && (u === undefined || u.request === 'contact' || u.intent === 'unknown' || u.intent === 'clarify');
    if (kind === 'not_found') return r.asksWhere || r.bare;
    // A place said in passing ("mua nhà ở Cái Răng") is not a question about its police.
    return (r.asksWhere || r.lives || r.bare) && (r.strong || r.police);
  }

  function callButtons(ctx: BotContext): Button[] {
    const call113: Button = { kind: 'phone', title: ctx.t('intent.call', { number: '113' }), phone: '113' };
    return deps.hotline ? [{ kind: 'phone', title: ctx.t('menu.hotline'), phone: deps.hotline }, call113] : [call113];
  }

  function unitReply(ctx: BotContext, unit: Unit, old: OldUnit[], procedure?: ProcedureInfo & { id: string }, remember = false): Outcome {
    let body = unitAnswer(ctx.t, deps.index, unit, { old, hotline: deps.hotline, dutyDesk, procedure: procedure && { title: procedure.title, agency: procedure.agency } });
    const buttons: Button[] = [];
    if (procedure) buttons.push(queryButton(short(ctx.t('units.procedureButton')), payloads.procedure(procedure.id)));
    if (unit.police?.map_url) buttons.push({ kind: 'url', title: ctx.t('units.mapButton'), url: unit.police.map_url });
    buttons.push(...callButtons(ctx));
    if (remember) {
      deps.store.set(ctx.userId, unit.id, ctx.now.getTime());
      body = `${body}\n${ctx.t('units.remembered', { unit: unit.name.charAt(0).toLowerCase() + unit.name.slice(1) })}`;
      buttons.push(queryButton(short(ctx.t('units.changeButton')), payloads.unitChange));
    }
    return { replies: [text(body, buttons)], intent: 'place', unit: { id: unit.id, name: unit.name } };
  }

  function districtReply(ctx: BotContext, district: District): Outcome {
    const buttons = district.unitIds.slice(0, MAX_BUTTONS).map((id) => queryButton(short(deps.index.units.get(id)!.name), payloads.unit(id)));
    return { replies: [text(districtAnswer(ctx.t, deps.index, district), buttons)], intent: 'place' };
  }

  function chooseReply(ctx: BotContext, options: PlaceOption[]): Outcome {
    const lines = options.map((o) => optionLine(ctx.t, deps.index, o)).join('\n');
    const buttons = options.slice(0, MAX_BUTTONS).map((o) => queryButton(optionTitle(ctx.t, deps.index, o), o.kind === 'unit' ? payloads.unit(o.unitId) : payloads.district(districtSlug(o.district))));
    if (options.every((o) => o.kind === 'district')) return { replies: [text(ctx.t('units.chooseDistrict', { count: options.length, lines }), buttons)], intent: 'place' };
    const named = options.find((o): o is PlaceOption & { kind: 'unit' } => o.kind === 'unit' && o.old !== undefined);
    const first = options[0]!;
    const name = named?.old?.name ?? (first.kind === 'unit' ? deps.index.units.get(first.unitId)!.name : first.district.name);
    const example = named?.old ? `${named.old.name.charAt(0).toLowerCase()}${named.old.name.slice(1)} ${named.old.district.split(' ').slice(splitTypeName(named.old.district).type.split(' ').length).join(' ')}` : name;
    return { replies: [text(ctx.t('units.choose', { name, count: options.length, lines, example }), buttons)], intent: 'place' };
  }

  /** Forgets the remembered commune and asks for it again. */
  function change(ctx: BotContext): Outcome {
    deps.store.asked(ctx.userId, ctx.now.getTime(), true);
    return { replies: [text(ctx.t('units.changeAsk'))], intent: 'place' };
  }

  /**
   * What a commune-level procedure answer adds: the citizen's own unit when remembered; else, once, when they asked
   * where to go, the question which commune they live in.
   */
  function localUnit(ctx: BotContext, procedure: { levels: string[] }): OutgoingMessage | undefined {
    if (!procedure.levels.includes('xa')) return undefined;
    const own = deps.store.get(ctx.userId);
    const unit = own.unitId ? deps.index.units.get(own.unitId) : undefined;
    if (unit) {
      const buttons = [queryButton(short(ctx.t('units.yoursButton')), payloads.unit(unit.id)), queryButton(short(ctx.t('units.changeButton')), payloads.unitChange)];
      return text(ctx.t('units.yours', { police: policeName(ctx.t, unit), composition: composition(ctx.t, unit) }), buttons);
    }
    const asksWhere = ctx.understanding?.aspect === 'where' || (ctx.event.type === 'text' && !ctx.payload && resolution(ctx).asksWhereStrictly);
    if (!asksWhere || own.askedAt !== undefined) return undefined;
    deps.store.asked(ctx.userId, ctx.now.getTime());
    return text(ctx.t('units.askYours'));
  }

  return {
    matches,
    localUnit,
    /** A typed where-question (or a bare unit name) the resolver placed. */
    message(ctx: BotContext): Outcome {
      if (changes(ctx)) return change(ctx);
      const r = resolution(ctx);
      const a = r.answer;
      switch (a.kind) {
        case 'unit':
          // "Tôi ở …", or the commune typed right after the bot asked for it: the citizen's own, remembered.
          return unitReply(ctx, deps.index.units.get(a.unitId)!, a.old, communeProcedure(ctx), r.lives || (r.bare && awaited(ctx)));
        case 'district':
          return districtReply(ctx, a.district);
        case 'choose':
          return chooseReply(ctx, a.options);
        case 'department':
          return { replies: [text(departmentAnswer(ctx.t, a.department), callButtons(ctx))], intent: 'place' };
        case 'not_found':
          return { replies: [text(ctx.t('units.notFound', { name: a.name }))], intent: 'place' };
        default:
          return { replies: [text(ctx.t('intent.unknown'))], intent: 'unknown' };
      }
    },
    /** A unit or district button from a choice or a district list. */
    button(ctx: BotContext): Outcome {
      const p = ctx.payload;
      if (p?.feature === 'units' && p.action === 'change') return change(ctx);
      const unit = p?.feature === 'units' && p.action === 'unit' ? deps.index.units.get(p.id) : undefined;
      if (unit) return unitReply(ctx, unit, [], undefined, awaited(ctx));
      const district = p?.feature === 'units' && p.action === 'district' ? [...deps.index.districts.values()].find((d) => districtSlug(d) === p.id) : undefined;
      if (district) return districtReply(ctx, district);
      return { replies: [text(ctx.t('intent.unknown'))], intent: 'unknown' };
    },
    /** A shared location: the nearest unit when units carry coordinates, else the request for the commune name. */
    location(ctx: BotContext): Outcome {
      const e = ctx.event;
      const here = e.type === 'location' ? { lat: Number(e.latitude), lng: Number(e.longitude) } : undefined;
      const placed = [...deps.index.units.values()].flatMap((u) => (u.police?.lat !== undefined && u.police.lng !== undefined ? [{ unit: u, at: { lat: u.police.lat, lng: u.police.lng } }] : []));
      if (here && Number.isFinite(here.lat) && Number.isFinite(here.lng) && placed.length > 0) {
        const nearest = placed.map((x) => ({ ...x, km: distanceKm(here, x.at) })).sort((a, b) => a.km - b.km)[0]!;
        const answer = unitReply(ctx, nearest.unit, []);
        const lead = text(ctx.t('units.locationNearest', { police: policeName(ctx.t, nearest.unit), km: nearest.km.toFixed(1) }));
        return { ...answer, replies: [lead, ...answer.replies] };
      }
      return { replies: [text(ctx.t('units.location'), callButtons(ctx))], intent: 'place' };
    },
  };
}

export type UnitHandlers = ReturnType<typeof createUnitHandlers>;
