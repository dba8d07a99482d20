// What a positional parameter's text means, by upstream's rules: a number in
// any of the integer literal's spellings (`123`, `0x1f`, `0775`, `0b101`,
// `1_000`, `5ms`, `-3`) is that integer; anything else is a string; an empty
// or missing parameter is 0.
import { decodeInteger } from '../../syntax/index.ts';

const I64_MIN_MAGNITUDE = 1n << 63n;

/** The integer a parameter's text spells, or undefined when it is a string. */
export function positionalInteger(text: string): bigint | undefined {
  if (text === '') return 0n;
  if (text.startsWith('-')) {
    const magnitude = unsignedInteger(text.slice(1));
    return magnitude !== undefined && magnitude <= I64_MIN_MAGNITUDE ? -magnitude : undefined;
  }
  return unsignedInteger(text);
}

function unsignedInteger(text: string): bigint | undefined {
  if (/^0[bB][01_]+$/.test(text) && !text.endsWith('_')) return BigInt(`0b${text.slice(2).replace(/_/g, '')}`);
  if (!/^[0-9][0-9A-Za-z_]*$/.test(text)) return undefined;
  // A leading 0 means octal: `08` is no number, so it stays the string it is (as upstream).
  if (/^0[0-9]/.test(text) && !/^0[0-7_]+$/.test(text)) return undefined;
  const decoded = decodeInteger(text);
  return decoded.ok ? decoded.value : undefined;
}
