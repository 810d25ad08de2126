// The .cr language. Only the grammar lives here: no actions, no predicates.
// Every alternative the AST builder needs is labelled; docs/language.md is the reference.
grammar RaceCheck;

model : 'model' ID topDecl* EOF ;

topDecl
    : 'runtime' ID ('(' ID '=' expr ')')?                                   # RuntimeDecl
    | 'const' ID '=' expr                                                    # ConstDecl
    | 'param' ID 'in' expr '..' expr                                         # ParamDecl
    | kind=('shared' | 'ghost') ID shape? '=' initializer                    # VarDecl
    | 'lock' ID shape?                                                       # LockDecl
    | 'enum' ID '{' ID (',' ID)* ','? '}'                                    # EnumDecl
    | 'table' ID '(' column (',' column)* ')' '{' (row (',' row)* ','?)? '}' # TableDecl
    | 'redis' ID? shape? '{' (redisKey (',' redisKey)* ','?)? '}'            # RedisDecl
    | 'process' ID ('[' count=expr ']')? ('(' processParam (',' processParam)* ')')?
          ('on' 'replica' replica=expr)? block                               # ProcessDecl
    | kind=('invariant' | 'final' | 'cover') ID ':' expr                     # PropertyDecl
    | 'allow' word                                                           # AllowDecl
    | 'expect' word (ID (',' ID)*)?                                          # ExpectDecl
    ;

shape : '[' expr ('..' expr)? ']' ;
initializer : expr | '{' expr (',' expr)* ','? '}' ;
// `id key`, `status Status` (a column of enum values), or a bare name (a column of ints);
// `null` after it makes the column nullable (`owner null`, `status Status null`).
column : ID ID? nullable='null'? ;
row : '(' expr (',' expr)* ')' ;
redisKey : ID ('=' expr)? ;
processParam
    : ID '=' expr              # DefaultParam
    | ID 'in' expr '..' expr   # RangeParam
    ;

block : '{' stmt* '}' ;

stmt
    : 'let' ID '=' rhs                                            # LetStmt
    | 'let' '(' ID (',' ID)* ')' '=' rhs                          # LetTupleStmt
    | lvalue op=('=' | '+=' | '-=' | '*=') rhs                    # AssignStmt
    | ifStmt                                                      # IfStmtAlt
    | 'while' expr block                                          # WhileStmt
    | 'retry' 'at' 'most' expr block ('else' block)?              # RetryStmt
    | 'break'                                                     # BreakStmt
    | 'continue'                                                  # ContinueStmt
    | 'atomic' block                                              # AtomicStmt
    | 'lock' lockRef block                                        # LockStmt
    | 'acquire' lockRef                                           # AcquireStmt
    | 'release' lockRef                                           # ReleaseStmt
    | 'await'                                                     # AwaitStmt
    | 'assert' expr STRING?                                       # AssertStmt
    | 'assume' expr                                               # AssumeStmt
    | 'choose' ID 'in' expr '..' expr                             # ChooseStmt
    | 'skip'                                                      # SkipStmt
    | 'transaction' ('isolation' ID)? block failureHandler?       # TransactionStmt
    | 'rollback'                                                  # RollbackStmt
    | sql                                                         # SqlStmt
    | redisCall                                                   # RedisStmt
    | ';'                                                         # EmptyStmt
    ;

// An else-if chain is a loop, not a recursion, so a long chain cannot exhaust the parser's stack;
// the AST builder nests it (one kIf inside the else of the one before) and reports a plain else
// that is not last. One token after 'else' decides, so `else x` expects "'if' or '{'".
ifStmt : 'if' expr block ('else' ('if' expr block | block))* ;

failureHandler
    : 'on' 'failure' 'retry' 'at' 'most' expr   # RetryOnFailure
    | 'on' 'failure' block                      # BlockOnFailure
    ;

lvalue : ID ('[' expr ']')? ;
lockRef : ID ('[' expr ']')? ;
rhs : sql | expr ;

sql
    : 'select' selectItem (',' selectItem)* 'from' ID ('where' expr)? ('for' 'update')?   # SelectSql
    | 'update' ID 'set' setItem (',' setItem)* ('where' expr)?                             # UpdateSql
    | 'insert' 'into' ID ('(' ID (',' ID)* ')')? 'values' '(' expr (',' expr)* ')'         # InsertSql
    | 'delete' 'from' ID ('where' expr)?                                                   # DeleteSql
    ;
selectItem : ID | ID '(' ('*' | ID) ')' ;
setItem : ID '=' expr ;

redisCall
    : owner ('[' expr ']')? '.' command '(' (callArg (',' callArg)*)? ')'   # RedisCommand
    | owner ('[' expr ']')? '.' ID block                               # RedisBlock
    ;
// The default Redis instance is called `redis`, which is also the keyword that declares one.
owner : ID | 'redis' ;
// Words after `allow` / `expect`, where `failure` (a keyword elsewhere) is a plain word.
word : ID | 'failure' ;
// Redis command names may be written in any case, and `set` is an SQL keyword.
command : ID | 'set' ;
callArg : (ID '=')? expr ;

expr
    : primary                                          # PrimaryExpr
    | op=('-' | 'not') expr                            # UnaryExpr
    | expr op=('*' | '/' | '%') expr                   # BinaryExpr
    | expr op=('+' | '-') expr                         # BinaryExpr
    | expr 'is' negated='not'? 'null'                  # IsNullExpr
    | expr op=('<' | '<=' | '>' | '>=') expr           # BinaryExpr
    | expr op=('==' | '!=' | '=') expr                 # BinaryExpr
    | expr op='and' expr                               # BinaryExpr
    | expr op='or' expr                                # BinaryExpr
    ;

primary
    : INT                                              # IntLiteral
    | ('true' | 'false')                               # BoolLiteral
    | 'null'                                           # NullLiteral
    | SQL_STRING                                       # StringLiteral
    | 'self'                                           # SelfRef
    | redisCall                                        # RedisCallExpr
    | ID '(' (expr (',' expr)*)? ')'                   # CallExpr
    | owner ('[' expr ']')? '.' ID                     # MemberExpr
    | ID '[' expr ']'                                  # IndexExpr
    | ID                                               # NameExpr
    | '(' expr ')'                                     # ParenExpr
    ;

INT : [0-9]+ ;
ID : [a-zA-Z_] [a-zA-Z_0-9]* ;
STRING : '"' (~["\\\r\n] | '\\' ~[\r\n])* '"' ;
// 'queued': SQL's way to write a value, here an enum value named by the column it meets.
SQL_STRING : '\'' ~['\r\n]* '\'' ;
LINE_COMMENT : '//' ~[\r\n]* -> skip ;
BLOCK_COMMENT : '/*' .*? '*/' -> skip ;
WS : [ \t\r\n]+ -> skip ;
// Error tokens: the parser never expects them, so the diagnostic names them in plain words.
UNTERMINATED_STRING : '"' (~["\\\r\n] | '\\' ~[\r\n])* ;
UNTERMINATED_SQL_STRING : '\'' ~['\r\n]* ;
// Never contains `*/`, so a closed comment is always the longer BLOCK_COMMENT match.
UNTERMINATED_COMMENT : '/*' ( ~'*' | '*'+ ~[*/] )* '*'* EOF ;
UNKNOWN_CHAR : . ;
