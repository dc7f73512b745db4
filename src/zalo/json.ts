import { isSafeNumber, parse as parseLossless } from 'lossless-json';

// Zalo documents its ids as strings, but a body that carries one as a bare JSON number must not be rounded to a
// double: 9007199254740993 and 9007199254740992 are the same double, so two citizens (or two messages) became one.

/** A number literal of 16 digits or more as a JSON value (after `:`, `[` or `,`): the only kind that can round. */
const LONG_NUMBER = /[:[,]\s*-?\d{16}/;

/** Keeps a number that survives the trip through a double as a number, and any other as its exact digits (a string). */
const exactNumber = (digits: string): number | string => (isSafeNumber(digits) ? Number(digits) : digits);

/** Last duplicate key wins, as with JSON.parse, so both paths read a body the same way. */
const lastKeyWins = ({ newValue }: { newValue: unknown }): unknown => newValue;

/**
 * JSON.parse for webhook bodies, without rounding: a number that a double cannot hold exactly (an id past 2^53)
 * comes back as the string of its digits. Bodies without a long number literal take the fast built-in parser
 * (every body Zalo sends today: its ids are quoted). Throws SyntaxError (or RangeError when nested absurdly deep)
 * like JSON.parse.
 */
export function parseWebhookJson(text: string): unknown {
  if (!LONG_NUMBER.test(text)) return JSON.parse(text);
  return parseLossless(text, null, { parseNumber: exactNumber, onDuplicateKey: lastKeyWins });
}
