export { generate, probeFunctionName, type GeneratedUnit, type GenerateOptions } from './generate.ts';
export { cString, intLiteral } from './literals.ts';
export { mapCName } from './state.ts';
export { regionAt, withoutMarkers, type PluginCRegion } from './plugin-c.ts';
