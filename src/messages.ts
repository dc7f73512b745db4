// What the bot says, independent of Zalo's wire format (src/zalo/ maps it).

/** A button under a message: a hidden query sent back as text, a link, or a phone call. */
export type Button =
  | { kind: 'query'; title: string; payload: string }
  | { kind: 'url'; title: string; url: string }
  | { kind: 'phone'; title: string; phone: string };

/** One outgoing message. */
export type OutgoingMessage =
  | { kind: 'text'; text: string; buttons?: Button[] }
  | { kind: 'image'; imageUrl: string; text?: string }
  | { kind: 'request_user_info'; title: string; subtitle: string; imageUrl?: string };

export const MAX_TEXT_LENGTH = 2000;

/** Shorthand for a text message with optional buttons. */
export function text(body: string, buttons?: Button[]): OutgoingMessage {
  return buttons && buttons.length > 0 ? { kind: 'text', text: body, buttons } : { kind: 'text', text: body };
}

/** Shorthand for a hidden-query button whose payload comes back as a message. */
export function queryButton(title: string, payload: string): Button {
  return { kind: 'query', title, payload };
}

/**
 * Splits a long text into chunks of at most `max` characters, preferring paragraph,
 * then line, then sentence, then word boundaries.
 */
export function splitText(body: string, max = MAX_TEXT_LENGTH): string[] {
  const textNfc = body.normalize('NFC');
  if (textNfc.length <= max) return [textNfc];
  const chunks: string[] = [];
  let rest = textNfc;
  while (rest.length > max) {
    const window = rest.slice(0, max);
    const cut =
      lastBreak(window, /\n\n/g, max) ??
      lastBreak(window, /\n/g, max) ??
      lastBreak(window, /[.!?…;:](?=\s)/g, max, 1) ??
      lastBreak(window, /\s/g, max) ??
      max;
    chunks.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  if (rest.length > 0) chunks.push(rest);
  return chunks;
}

function lastBreak(window: string, pattern: RegExp, max: number, keep = 0): number | undefined {
  let best: number | undefined;
  for (const m of window.matchAll(pattern)) {
    const at = m.index + keep;
    if (at >= max * 0.3 && at <= max) best = at;
  }
  return best;
}
