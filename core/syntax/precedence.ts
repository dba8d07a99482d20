// Binary operator precedence: the one table the parser folds operator chains
// by (build.ts `fold`) and the formatter places parentheses by. The grammar
// keeps binary operators as a flat chain, so this table is the only place the
// levels are defined; tests/core/syntax/precedence.test.ts checks the parser
// against it pair by pair.
import type { BinaryOp } from './ast.ts';

/** Binding strength of each binary operator: 1 (`||`) binds loosest; every level is left-associative. */
export const BINARY_PRECEDENCE: Readonly<Record<BinaryOp, number>> = {
  '||': 1, '&&': 2, '|': 3, '^': 4, '&': 5,
  '==': 6, '!=': 6,
  '<': 7, '>': 7, '<=': 7, '>=': 7,
  '<<': 8, '>>': 8,
  '+': 9, '-': 9,
  '*': 10, '/': 10, '%': 10,
};

/** Every binary operator (the lexer's `binop` token class). */
export const BINARY_OPERATORS = Object.keys(BINARY_PRECEDENCE) as readonly BinaryOp[];

/** The tightest binary level (unary operators bind tighter still). */
export const MAX_BINARY_PRECEDENCE = Math.max(...Object.values(BINARY_PRECEDENCE));
