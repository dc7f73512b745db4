import type { BotContext, Route } from './context.ts';
import type { BroadcastChoiceHandlers } from './handlers/broadcast-opt-out.ts';
import { nonTextHandler, submitInfoHandler } from './handlers/fallback.ts';
import type { LanguageHandlers } from './handlers/language.ts';
import type { MenuHandlers } from './handlers/menu.ts';
import type { PetitionFlow } from './handlers/petition-flow.ts';
import type { PrivacyHandlers } from './handlers/privacy.ts';
import type { ProcedureHandlers } from './handlers/procedures.ts';
import type { QuizHandlers } from './handlers/quiz.ts';
import type { SafetyHandlers } from './handlers/safety.ts';
import type { SatisfactionHandlers } from './handlers/satisfaction.ts';
import type { UnitHandlers } from './handlers/units.ts';
import type { Payload } from './payloads.ts';
import type { CitizenRequest, IntentName } from './understand.ts';

/** The conversation handlers of every feature, as the routing table uses them. */
export interface ChatHandlers {
  menu: MenuHandlers;
  safety: SafetyHandlers;
  procedures: ProcedureHandlers;
  petitions: PetitionFlow;
  quiz: QuizHandlers;
  language: LanguageHandlers;
  satisfaction: SatisfactionHandlers;
  optOut: BroadcastChoiceHandlers;
  privacy: PrivacyHandlers;
  units: UnitHandlers;
}

/** Below this confidence a label gives way to the procedure just discussed. */
const FOLLOW_UP_OVERRIDE = 0.7;

// Matchers: pure functions of the prepared context.
const event = (type: BotContext['event']['type']) => (c: BotContext) => c.event.type === type;
const typed = (c: BotContext) => c.event.type === 'text' && c.text.trim().length > 0;
const tapped = (feature: Payload['feature'], action?: string) => (c: BotContext) =>
  c.payload?.feature === feature && (action === undefined || c.payload.action === action);
const intent = (name: IntentName) => (c: BotContext) => c.understanding?.intent === name;
const request = (name: CitizenRequest) => (c: BotContext) => c.understanding?.request === name;

/**
 * THE routing table. Read top to bottom; the first route whose `match` is true handles the event, so the order is the
 * precedence contract:
 *   1. lifecycle events (follow, chat now, withdraw) and the broadcast stop/resume words;
 *   2. button taps, each to the feature that sent the button;
 *   3. danger now (113 / 114 / 115), before anything else a citizen types, even inside a petition intake;
 *   4. what may break into an active flow (erase my data, change language);
 *   5. the active flow (a petition intake takes the rest of its messages, images and shared info);
 *   6. the intents (quiz, petitions, safety, greetings and menu, procedures);
 *   7. the fallbacks for other events.
 * Adding a conversation: a handler in its feature module and one line here.
 */
export function createRoutes(f: ChatHandlers): Route[] {
  const inFlow = (c: BotContext) => f.petitions.active(c);
  // Right after a procedure answer, a follow-up the intent model only half reads as a refusal, a complaint or a
  // petition ("còn người già yếu không tự đi được thì sao") is about that procedure. Scams, crimes and danger are not
  // second-guessed.
  const weakInFollowUp = (c: BotContext) => f.procedures.inFollowUp(c) && (c.understanding?.confidence ?? 1) < FOLLOW_UP_OVERRIDE;
  return [
    // 1. lifecycle
    { name: 'follow', match: event('follow'), handle: f.menu.follow },
    { name: 'chatnow', match: event('click_chatnow'), handle: f.menu.chatNow },
    { name: 'withdraw', match: event('withdraw'), handle: f.privacy.withdraw },
    { name: 'broadcast_choice', match: f.optOut.matches, handle: f.optOut.choose },
    // 2. buttons
    { name: 'language_button', match: tapped('language'), handle: f.language.choose, conversational: true },
    { name: 'rating_button', match: tapped('rating'), handle: f.satisfaction.rate, conversational: true },
    { name: 'quiz_answer', match: tapped('quiz', 'answer'), handle: f.quiz.answer, conversational: true },
    { name: 'quiz_button', match: tapped('quiz', 'start'), handle: f.quiz.start, conversational: true },
    { name: 'petition_flow_button', match: tapped('petitions', 'flow'), handle: f.petitions.handle, conversational: true },
    { name: 'petition_button', match: tapped('petitions', 'start'), handle: f.petitions.start, conversational: true },
    { name: 'status_button', match: tapped('petitions', 'status'), handle: (c) => f.petitions.status(c, undefined), conversational: true },
    { name: 'procedure_button', match: f.procedures.handlesCommand, handle: (c) => f.procedures.command(c)!, conversational: true },
    { name: 'menu_button', match: tapped('menu'), handle: f.menu.menu, conversational: true },
    { name: 'unit_button', match: tapped('units'), handle: f.units.button, conversational: true },
    { name: 'unknown_button', match: (c) => c.payload !== undefined, handle: f.menu.unknownButton, conversational: true },
    // 3. danger now
    // A petition's text that only the intent model reads as danger stays the petition's text, led by the numbers.
    { name: 'emergency', match: (c) => intent('emergency')(c) && !(f.petitions.collecting(c) && c.understanding?.emergencyKinds.length === 0), handle: f.safety.emergency, conversational: true },
    // 4. breaks into a flow
    { name: 'erase', match: request('erase'), handle: f.privacy.erase, conversational: true },
    { name: 'language', match: request('language'), handle: f.language.menu, conversational: true },
    { name: 'quiz', match: (c) => request('quiz')(c) && !inFlow(c), handle: f.quiz.start, conversational: true },
    // 5. the active flow
    { name: 'petition_flow', match: (c) => typed(c) && inFlow(c) && !f.petitions.yieldsTo(c), handle: f.petitions.handle, conversational: true },
    { name: 'petition_media', match: (c) => (c.event.type === 'image' || c.event.type === 'submit_info') && inFlow(c), handle: f.petitions.handle },
    // 6. intents
    { name: 'petition', match: (c) => intent('petition')(c) && !weakInFollowUp(c), handle: f.petitions.start, conversational: true },
    { name: 'petition_status', match: intent('petition_status'), handle: (c) => f.petitions.status(c, c.understanding?.petitionCode), conversational: true },
    { name: 'crime_report', match: intent('crime_report'), handle: f.safety.crimeReport, conversational: true },
    { name: 'complaint', match: (c) => intent('complaint')(c) && !weakInFollowUp(c), handle: f.safety.complaint, conversational: true },
    { name: 'scam', match: intent('scam'), handle: f.safety.scam, conversational: true },
    { name: 'refuse', match: (c) => intent('refuse')(c) && !weakInFollowUp(c), handle: f.safety.refuse, conversational: true },
    { name: 'broadcast_help', match: request('opt_out'), handle: f.optOut.explain, conversational: true },
    // Where a commune, ward, old unit or district's police is (its own resolver, before the model's contact reply).
    { name: 'unit', match: f.units.matches, handle: f.units.message, conversational: true },
    { name: 'greeting', match: intent('greeting'), handle: f.menu.greeting, conversational: true },
    { name: 'contact', match: request('contact'), handle: f.menu.contact, conversational: true },
    { name: 'menu', match: intent('menu'), handle: f.menu.menu, conversational: true },
    { name: 'procedure', match: typed, handle: f.procedures.message, conversational: true },
    // 7. other events
    { name: 'location', match: event('location'), handle: f.units.location },
    { name: 'submit_info', match: event('submit_info'), handle: submitInfoHandler },
    { name: 'non_text', match: (c) => c.event.type === 'image' || c.event.type === 'attachment', handle: nonTextHandler },
  ];
}
