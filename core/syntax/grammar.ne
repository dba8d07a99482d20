# The bpftrace grammar (nearley). Tokens come from lexer.ts; AST nodes are
# built by build.ts. The grammar is unambiguous: every input has at most one
# parse (tests assert it). Where plain context-free rules would be ambiguous,
# a postprocessor rejects the unwanted derivation (see build.ts):
#   - an expression statement never starts with `if` or `{` (those are the
#     if statement and the nested block);
#   - in a block expression, a trailing bare `if ... else ...` or `{...}` is
#     the value, not a statement;
#   - `@m[k]` is a MapAccess, never an Index of `@m`;
#   - `x++` after an if-else or block is not an update (the `++` begins the
#     next operand).
# Binary operators are parsed as a flat chain and folded by precedence in
# build.ts (this keeps the Earley tables small).

@preprocessor typescript

@{%
import { lexer, matchers } from './lexer.ts';
import * as b from './build.ts';
// Token classes matched by a test (one Earley item instead of one per
// operator): `%binop`, `%prefixop`, `%assignop`, `%updateop`, `%atom`. The
// lexer's `has()` answers false for these names, so nearley uses these
// objects (its "custom token matchers").
var binop: any = matchers.binop;
var prefixop: any = matchers.prefixop;
var assignop: any = matchers.assignop;
var updateop: any = matchers.updateop;
var atom: any = matchers.atom;
%}

@lexer lexer

Program -> %shebang:? TopItems                                    {% b.program %}
TopItems -> null                                                  {% b.empty %}
          | TopItems TopItem                                      {% b.seqAppend %}

TopItem -> %preproc                                               {% b.preproc %}
         | %cdef                                                  {% b.cdef %}
         | Config                                                 {% id %}
         | "import" %string ";"                                   {% b.importItem %}
         | Probe                                                  {% id %}
         | MacroDef                                               {% id %}
         | MapDecl                                                {% id %}
         | FnDef                                                  {% id %}

# ---------------------------------------------------------------- top-level items

Config -> "config" "=" "{" ConfigBody "}"                         {% b.config %}
ConfigBody -> ConfigDone                                          {% id %}
            | ConfigDone ConfigEntry                              {% b.seqAppend %}
ConfigDone -> null                                                {% b.empty %}
            | ConfigDone ConfigEntry ";"                          {% b.seqAppend %}
ConfigEntry -> Word "=" ConfigValue                               {% b.configEntry %}
ConfigValue -> %int                                               {% b.configValue %}
             | %string                                            {% b.configValue %}
             | "true"                                             {% b.configValue %}
             | "false"                                            {% b.configValue %}
             | %ident                                             {% b.configValue %}
             | %typename                                          {% b.configValue %}

Probe -> AttachPoints ",":? Predicate:? Block                     {% b.probe %}
AttachPoints -> AttachPoint                                       {% b.list %}
              | AttachPoints "," AttachPoint                      {% b.list %}
AttachPoint -> %ap                                                {% b.attachPoint %}
Predicate -> %predstart Expr %endpred                             {% (d) => d[1] %}

MacroDef -> "macro" %ident "(" MacroParams %rparen BlockExpr      {% b.macroDef %}
MacroParams -> null                                               {% b.empty %}
             | MacroParamList                                     {% id %}
MacroParamList -> MacroParam                                      {% b.list %}
                | MacroParamList "," MacroParam                   {% b.list %}
MacroParam -> %ident                                              {% b.macroParam %}
            | %variable                                           {% b.macroParam %}
            | %map                                                {% b.macroParam %}

MapDecl -> "let" %map "=" %ident "(" ArgExprs %rparen ";"          {% b.mapDecl %}
ArgExprs -> null                                                  {% b.empty %}
          | ExprList                                              {% id %}

FnDef -> "fn" %ident "(" FnParams %rparen ":" Type Block          {% b.fnDef %}
FnParams -> null                                                  {% b.empty %}
          | FnParamList                                           {% id %}
FnParamList -> FnParam                                            {% b.list %}
             | FnParamList "," FnParam                            {% b.list %}
FnParam -> %variable ":" Type                                     {% b.fnParam %}

# ---------------------------------------------------------------- blocks and statements

# A statement block: the last statement's `;` is optional.
Block -> "{" Stmts "}"                                            {% b.block %}
       | "{" Stmts SimpleStmt "}"                                 {% b.block %}

# A block expression: a last expression without `;` is its value.
BlockExpr -> "{" Stmts "}"                                        {% b.blockExprNoValue %}
           | "{" Stmts Expr "}"                                   {% b.blockExprValue %}
           | "{" Stmts NonExprStmt "}"                            {% b.blockExprStmt %}

# Statements each closed by `;`, or block statements (which need none).
Stmts -> null                                                     {% b.seqEmpty %}
       | Stmts SimpleStmt ";"                                     {% b.seqPush %}
       | Stmts BlockStmt                                          {% b.seqPush %}
       | Stmts BlockStmt ";"                                      {% b.seqPush %}

SimpleStmt -> ExprStmt                                            {% id %}
            | NonExprStmt                                         {% id %}

ExprStmt -> Expr                                                  {% b.exprStmt %}

NonExprStmt -> AssignTarget %assignop Expr                        {% b.assign %}
             | "let" %variable (":" Type):? ("=" Expr):?          {% b.letDecl %}
             | "break"                                            {% b.jump %}
             | "continue"                                         {% b.jump %}
             | "return" Expr:?                                    {% b.jump %}
             | "_" "=" Expr                                       {% b.discard %}
             | "import" %string                                   {% b.importItem %}

AssignTarget -> %variable                                         {% b.variable %}
              | MapRef                                            {% id %}
              | MapAccess                                         {% id %}

BlockStmt -> If                                                   {% id %}
           | "while" Cond Block                                   {% b.whileStmt %}
           | "unroll" Cond Block                                  {% b.unroll %}
           | For                                                  {% id %}
           | Block                                                {% id %}

If -> "if" "comptime":? Cond Block Else:?                         {% b.ifStmt %}
Else -> "else" Block
      | "else" If

For -> "for" "(" %variable ":" Iterable %rparen Block             {% b.forStmt %}
     | "for" %variable ":" Iterable Block                         {% b.forStmt %}
Iterable -> MapRef                                                {% id %}
          | Ternary ".." Ternary                                  {% b.range %}

# A condition: any expression except a leading `comptime` (which `if comptime` claims).
Cond -> Ternary                                                   {% id %}

# ---------------------------------------------------------------- expressions

Expr -> "comptime" Expr                                           {% b.comptime %}
      | Ternary                                                   {% id %}

Ternary -> Bin                                                    {% id %}
         | Bin "?" Expr ":" Expr                                  {% b.ternary %}
         | Bin "?" ":" Expr                                       {% b.ternary %}

Bin -> BinChain                                                   {% b.fold %}
BinChain -> Unary                                                 {% b.chainStart %}
          | BinChain %binop Unary                                 {% b.chainPush %}

Unary -> Postfix                                                  {% id %}
       | %prefixop Unary                                          {% b.unary %}
       | %updateop Unary                                          {% b.preUpdate %}
       | "(" Type %castclose Unary                                {% b.cast %}

Postfix -> Primary                                                {% id %}
         | Postfix "." Word                                       {% b.field %}
         | Postfix "->" Word                                      {% b.field %}
         | Postfix "." %int                                       {% b.tupleIndex %}
         | Postfix "[" Expr "]"                                   {% b.index %}
         | Postfix %updateop                                      {% b.postUpdate %}

Primary -> %atom                                                  {% b.atom %}
         | MapRef                                                 {% id %}
         | MapAccess                                              {% id %}
         | %ident                                                 {% b.identifier %}
         | %ident "(" Args %rparen                                {% b.call %}
         | "(" ParenTail                                          {% b.paren %}
         | BlockExpr                                              {% id %}
         | IfExpr                                                 {% id %}
         | "sizeof" "(" TypeOrExpr %rparen                        {% b.sizeofExpr %}
         | "typeinfo" "(" TypeOrExpr %rparen                      {% b.typeinfo %}
         | "offsetof" "(" TypeOrExpr "," FieldPath %rparen        {% b.offsetof %}

# After `(`: a grouping, a tuple or a record.
ParenTail -> %rparen                                              {% b.tuple %}
           | Expr %rparen                                         {% b.group %}
           | Expr "," %rparen                                     {% b.tuple %}
           | Expr "," ExprList ",":? %rparen                      {% b.tuple %}
           | RecordFields ",":? %rparen                           {% b.record %}

MapRef -> %map                                                    {% b.mapRef %}
MapAccess -> %map "[" ExprList "]"                                {% b.mapAccess %}

IfExpr -> "if" "comptime":? Cond BlockExpr "else" IfExprElse      {% b.ifExpr %}
IfExprElse -> BlockExpr                                           {% id %}
            | IfExpr                                              {% id %}

ExprList -> Expr                                                  {% b.list %}
          | ExprList "," Expr                                     {% b.list %}

Args -> null                                                      {% b.empty %}
      | ArgList                                                   {% id %}
ArgList -> Arg                                                    {% b.list %}
         | ArgList "," Arg                                        {% b.list %}
Arg -> Expr                                                       {% id %}
     | StrictType                                                 {% b.typeArg %}

RecordFields -> RecordField                                       {% b.list %}
              | RecordFields "," RecordField                      {% b.list %}
RecordField -> Word "=" Expr                                      {% b.recordField %}

FieldPath -> Word                                                 {% b.list %}
           | FieldPath "." Word                                   {% b.list %}

# Field, record, config names may be any word, keywords and type names included.
Word -> %ident                                                    {% id %}
      | %kw                                                       {% id %}
      | %typename                                                 {% id %}

# ---------------------------------------------------------------- types

# In a type-only position (cast, `let $x: T`, fn signatures) any name is a type.
Type -> TypeBase TypeSuffixes                                     {% b.type %}
      | %ident TypeSuffixes                                       {% b.type %}

# Where a type or an expression may appear (sizeof, typeof, typeinfo, offsetof,
# call arguments), a plain name is an expression unless a `*` follows it.
StrictType -> TypeBase TypeSuffixes                               {% b.type %}
            | %ident "*" TypeSuffixes                             {% b.type %}
TypeOrExpr -> StrictType                                          {% id %}
            | Expr                                                {% id %}

TypeBase -> %typename                                             {% b.namedType %}
          | ("struct" | "union" | "enum") %ident                  {% b.taggedType %}
          | "typeof" "(" TypeOrExpr %rparen                       {% b.typeofType %}

TypeSuffixes -> null                                              {% b.suffixes %}
              | TypeSuffixes "*"                                  {% b.suffixes %}
              | TypeSuffixes "[" %int:? "]"                       {% b.suffixes %}
