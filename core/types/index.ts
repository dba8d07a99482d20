export * from './value-types.ts';
