// The .cr language. Only the grammar lives here: no actions, no predicates.
// Every alternative the AST builder needs is labelled; docs/language.md is the reference.
grammar RaceCheck;

model : 'model' ID topDecl* EOF ;

topDecl
    : 'runtime' ID ('(' ID '=' expr ')')?                                   # RuntimeDecl
    | 'replica' 'may' 'crash' ('at' 'most' bound=expr)?                      # ReplicaCrashDecl
    | 'const' ID '=' expr                                                    # ConstDecl
    | 'param' ID 'in' expr '..' expr                                         # ParamDecl
    | kind=('shared' | 'ghost') ID shape? '=' initializer                    # VarDecl
    | 'lock' ID shape?                                                       # LockDecl
    | 'enum' ID '{' ID (',' ID)* ','? '}'                                    # EnumDecl
    | 'table' ID '(' tableItem (',' tableItem)* ')' (roomWord=ID room=expr)?
          '{' (row (',' row)* ','?)? '}'                                     # TableDecl
    | 'redis' ID? shape? '{' (redisKey (',' redisKey)* ','?)? '}'            # RedisDecl
    | 'process' ID ('[' count=expr ']')? ('(' processParam (',' processParam)* ')')?
          ('on' 'replica' replica=expr)? (mayCrash='may' 'crash')?
          ('on' 'crash' 'retry' 'at' 'most' crashRetries=expr)? block        # ProcessDecl
    | 'fn' ID '(' (ID (',' ID)*)? ')' block                                  # FnDecl
    | kind=('invariant' | 'final' | 'cover') ID ':' expr                     # PropertyDecl
    | 'allow' word                                                           # AllowDecl
    | 'expect' word (expectName (',' expectName)*)?                          # ExpectDecl
    ;

shape : '[' expr ('..' expr)? ']' ;
initializer : expr | '{' expr (',' expr)* ','? '}' ;
// `rows 8` after the columns (checked by the AST builder): room for at most 8 rows.
// A column, or a constraint over the table's columns, as in SQL's DDL.
tableItem
    : column                            # ColumnItem
    | 'unique' '(' ID (',' ID)* ')'     # UniqueItem
    | 'check' '(' expr ')'              # CheckItem
    ;
// `id key`, `status Status` (a column of enum values), or a bare name (a column of ints);
// `null` after it makes the column nullable (`owner null`, `status Status null`);
// `email unique`: no two rows hold the same value (`email null unique` or `email unique null`).
column : ID ID? modifiers+=('null' | 'unique')* ;
row : '(' expr (',' expr)* ')' ;
// `balance = 100`, `lease` (absent), `jobs: list(4) = [1, 2]`: a list of at most 4 elements.
// `hits[USERS] = 0`: a key family, one key per index, each starting as declared (a shape, as arrays).
// `cart: hash(3) = {1: 2}`: a hash of at most 3 fields; `seen: set(4) = [1, 2]`: a set of at most 4 members.
// `state: Phase` (absent at first) and `queue: list(4) of Phase`: the enum its values belong to.
redisKey : name=ID shape? (':' (kind=(ID | 'set') '(' bound=expr ')' (of=ID valueType=ID)? | valueType=ID))?
           ('=' (value=expr | listInit | hashInit))? ;
listInit : '[' (expr (',' expr)* ','?)? ']' ;
hashInit : '{' (hashField (',' hashField)* ','?)? '}' ;
hashField : field=expr ':' value=expr ;
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
    | 'for' ID 'in' sql block                                     # ForStmt
    | 'break'                                                     # BreakStmt
    | 'continue'                                                  # ContinueStmt
    | 'atomic' block                                              # AtomicStmt
    | 'lock' lockRef block                                        # LockStmt
    | 'acquire' lockRef                                           # AcquireStmt
    | 'release' lockRef                                           # ReleaseStmt
    | 'await' awaited?                                            # AwaitStmt
    | 'assert' expr STRING?                                       # AssertStmt
    | 'assume' expr                                               # AssumeStmt
    | 'choose' ID 'in' expr '..' expr                             # ChooseStmt
    | 'skip'                                                      # SkipStmt
    | 'may' 'crash'                                               # MayCrashStmt
    // Time (docs/semantics.md, "Time"): the block's steps take lo..hi ms together; a pause inside it
    // lets up to hi ms more pass there.
    | 'takes' expr '..' expr block                                # TakesStmt
    | 'pause' expr '..' expr                                      # PauseStmt
    | 'transaction' ('isolation' ID)? block failureHandler?       # TransactionStmt
    | 'rollback'                                                  # RollbackStmt
    | sql failureHandler?                                         # SqlStmt
    | redisCall                                                   # RedisStmt
    | call                                                        # CallStmt
    // `return` ends a fn (with its value) or the process. It takes the expression after it even on
    // the next line; the AST builder reports statements after it in its block, which never run.
    | 'return' expr?                                              # ReturnStmt
    | ';'                                                         # EmptyStmt
    ;

// `await redis.GET(k)`, `await update ...`, `await acquire(k)`: a call awaited where it is made.
// A call that starts on a line after the `await` is a bare `await` and then that call (the AST
// builder splits them), so a yield on its own line keeps its meaning.
awaited : sql failureHandler? | redisCall | call ;
// A call of a fn declared in the model (or, inside expressions, of min, max, abs, coalesce).
call : ID '(' (expr (',' expr)*)? ')' ;

// An else-if chain is a loop, not a recursion, so a long chain cannot exhaust the parser's stack;
// the AST builder nests it (one kIf inside the else of the one before) and reports a plain else
// that is not last. One token after 'else' decides, so `else x` expects "'if' or '{'".
ifStmt : 'if' expr block ('else' ('if' expr block | block))* ;

// `on failure(e) { ... }` names the failure in the block; `on failure(serialization_failure,
// deadlock_detected) ...` handles only those failures. The AST builder tells the two apart.
failureHandler
    : 'on' 'failure' failureNames? 'retry' 'at' 'most' expr   # RetryOnFailure
    | 'on' 'failure' failureNames? block                      # BlockOnFailure
    ;
failureNames : '(' ID (',' ID)* ')' ;

lvalue : ID ('[' expr ']')? ;
lockRef : ID ('[' expr ']')? ;
// `let v = await select ...`; `let v = await redis.GET(k)` and `let v = await f(x)` are
// expressions (AwaitExpr), so `await redis.GET(k) + 1` awaits the command, as in JavaScript.
rhs : 'await' sql | sql | expr ;

sql
    : 'select' selectItem (',' selectItem)* 'from' ID ('where' expr)? orderBy? ('limit' limit=expr)? rowLock?  # SelectSql
    | 'update' ID 'set' setItem (',' setItem)* ('where' expr)? returning?                  # UpdateSql
    | 'insert' 'into' ID ('(' ID (',' ID)* ')')? 'values' '(' expr (',' expr)* ')' onConflict? returning? # InsertSql
    | 'delete' 'from' ID ('where' expr)? returning?                                        # DeleteSql
    ;
// `returning id, status`: the columns of the row the statement wrote (deleted), as a select's items.
returning : 'returning' ID (',' ID)* ;
// `on conflict (email) do nothing`: an insert that meets a duplicate on the target (every unique
// constraint when there is none) inserts nothing. `on conflict (email) do update set tries = tries + 1
// where ...`: it updates the conflicting row instead, `excluded.col` naming the row it proposed; the
// AST builder reports a missing target (PostgreSQL requires one for do update).
onConflict : 'on' 'conflict' ('(' ID (',' ID)* ')')? 'do' ('nothing' | doUpdate) ;
doUpdate : 'update' 'set' setItem (',' setItem)* ('where' expr)? ;
selectItem : ID | ID '(' ('*' | ID) ')' ;
orderBy : 'order' 'by' orderItem (',' orderItem)* ;
orderItem : ID dir=('asc' | 'desc')? ;
// `for no key update`: `key` stays a name (it marks a table's key column), checked by the AST builder,
// which also refuses `for key share` in words.
// A wait policy without a lock strength, or two of them, parse here so the builder can say why not.
rowLock
    : 'for' strength=('update' | 'share') lockWait*
    | 'for' 'no' ID 'update' lockWait*
    | 'for' ID 'share' lockWait*
    | lockWait+
    ;
lockWait : 'nowait' | 'skip' 'locked' ;
setItem : ID '=' expr ;

redisCall
    : owner ('[' expr ']')? '.' command '(' (callArg (',' callArg)*)? ')'   # RedisCommand
    | owner ('[' expr ']')? '.' ID block                               # RedisBlock
    ;
// The default Redis instance is called `redis`, which is also the keyword that declares one;
// `excluded.email` (on conflict do update) is the row an insert proposed.
owner : ID | 'redis' | 'excluded' ;
// Words after `allow` / `expect`, where `failure` (a keyword elsewhere) is a plain word.
word : ID | 'failure' ;
// What `expect violation` names: a property, or `assert` for any failed assertion.
expectName : ID | 'assert' ;
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
    | expr 'in' '(' expr (',' expr)* ')'               # InExpr
    | expr op='and' expr                               # BinaryExpr
    | expr op='or' expr                                # BinaryExpr
    // Lowest precedence: the else branch reaches as far right as it can.
    | 'if' expr 'then' expr 'else' expr                # CondExpr
    ;

primary
    : INT                                              # IntLiteral
    | ('true' | 'false')                               # BoolLiteral
    | 'null'                                           # NullLiteral
    | SQL_STRING                                       # StringLiteral
    | 'self'                                           # SelfRef
    | redisCall                                        # RedisCallExpr
    // `if await redis.EXISTS(k) { ... }`: a command (or fn call) awaited where it is made.
    | 'await' primary                                  # AwaitExpr
    // Properties: `count(jobs where status == running)`, `sum(stock.qty where qty > 0)`; without
    // `where` (`count(jobs)`, `sum(stock.qty)`) the call below, which the AST builder turns into it.
    | ID '(' ID ('.' ID)? 'where' expr ')'             # TableAggregateExpr
    | ID '(' (expr (',' expr)*)? ')'                   # CallExpr
    // `accounts[1].balance`, `redis.lease`, `nodes[i].hits[u]` (a member of a key family).
    | owner ('[' ownerIndex=expr ']')? '.' ID ('[' keyIndex=expr ']')?  # MemberExpr
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
