export * from './types.ts';
export * from './decode.ts';
