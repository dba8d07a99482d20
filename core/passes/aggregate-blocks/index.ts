// The aggregate-block room's door: `@m = { ...; count() }` as a direct aggregation.
export { hoistAggregateBlocks } from './rewrite.ts';
