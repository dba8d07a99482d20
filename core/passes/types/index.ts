export { checkProgram, mapReadType, type TypedProgram, type InstanceTypes, type MapTypeInfo, type CheckOptions } from './checker.ts';
export { resolveTypeExpr } from './type-expr.ts';
