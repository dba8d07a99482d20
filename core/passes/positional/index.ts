// The positional-parameter room's door: `$N` as upstream reads it (attach
// points, integers or strings, `str($N)`).
export { substitutePositional, type PositionalResult } from './substitute.ts';
export { positionalInteger } from './values.ts';
