// The type pass's door: checkProgram and the typed program codegen reads.
export { checkProgram } from './program.ts';
export { mapReadType } from './maps.ts';
export type { TypedProgram, InstanceTypes, MapTypeInfo, CheckOptions } from './typed-program.ts';
export { resolveTypeExpr } from './type-expr.ts';
