export { generate, type GeneratedUnit, type GenerateOptions } from './generate.ts';
export { cString, intLiteral } from './emitter.ts';
export { mapCName } from './state.ts';
