// The macro room's door: hygienic expansion of bpftrace macros, and the AST
// copier it is built on.
export { expandMacros, defaultMaxExpandedNodes, type MacroExpansionOptions, type MacroExpansionResult, type StatementImport } from './expand.ts';
export { MacroRegistry, macroHeadSpan, type MacroLayer, type RegisteredMacro } from './registry.ts';
export { AstRewriter, cloneArg, referencedNames } from './rewriter.ts';
