/**
 * The syntax tree of the CQL subset. Names are already case-folded (bare identifiers lower-cased,
 * quoted ones kept). Types are unresolved (`TypeExpr`): UDT references are resolved by the schema.
 */

/** A type as written in CQL. */
export type TypeExpr =
  | { readonly kind: 'native'; readonly name: string }
  | { readonly kind: 'list' | 'set'; readonly element: TypeExpr; readonly frozen: boolean }
  | { readonly kind: 'map'; readonly key: TypeExpr; readonly value: TypeExpr; readonly frozen: boolean }
  | { readonly kind: 'tuple'; readonly elements: readonly TypeExpr[] }
  | { readonly kind: 'vector'; readonly element: TypeExpr; readonly dimension: number }
  | { readonly kind: 'udt'; readonly keyspace: string | undefined; readonly name: string; readonly frozen: boolean }
  | { readonly kind: 'custom'; readonly className: string };

/** A value in a statement: a literal, a bind marker, a collection/tuple/UDT literal or a function call. */
export type Term =
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'integer' | 'float' | 'uuid' | 'hex' | 'duration'; readonly text: string }
  | { readonly kind: 'boolean'; readonly value: boolean }
  | { readonly kind: 'null' }
  | { readonly kind: 'bind'; readonly index: number; readonly name: string | undefined }
  | { readonly kind: 'list'; readonly items: readonly Term[] }
  | { readonly kind: 'set'; readonly items: readonly Term[] }
  | { readonly kind: 'map'; readonly entries: readonly (readonly [Term, Term])[] }
  | { readonly kind: 'udt'; readonly fields: readonly (readonly [string, Term])[] }
  | { readonly kind: 'tuple'; readonly items: readonly Term[] }
  | { readonly kind: 'call'; readonly name: string; readonly args: readonly Term[] };

/** A qualified table (or type) name; `keyspace` undefined means the session's keyspace. */
export interface QualifiedName {
  readonly keyspace: string | undefined;
  readonly name: string;
}

export type RelationOp = '=' | '<' | '<=' | '>' | '>=' | '!=' | 'IN' | 'CONTAINS' | 'CONTAINS KEY';

/** One WHERE restriction. */
export type Relation =
  | { readonly kind: 'column'; readonly column: string; readonly op: RelationOp; readonly term: Term | readonly Term[] }
  | { readonly kind: 'token'; readonly columns: readonly string[]; readonly op: RelationOp; readonly term: Term };

export type Selector =
  | { readonly kind: 'column'; readonly name: string; readonly alias: string | undefined }
  | { readonly kind: 'count'; readonly text: string; readonly alias: string | undefined }
  | { readonly kind: 'token'; readonly columns: readonly string[]; readonly alias: string | undefined }
  | { readonly kind: 'writetime' | 'ttl'; readonly column: string; readonly alias: string | undefined };

export interface UsingClause {
  readonly ttl: Term | undefined;
  readonly timestamp: Term | undefined;
}

export interface ColumnDefinitionAst {
  readonly name: string;
  readonly type: TypeExpr;
  readonly isStatic: boolean;
}

export interface CreateKeyspaceStatement {
  readonly type: 'create_keyspace';
  readonly keyspace: string;
  readonly ifNotExists: boolean;
  readonly replication: ReadonlyMap<string, string>;
  readonly durableWrites: boolean;
}
export interface DropKeyspaceStatement {
  readonly type: 'drop_keyspace';
  readonly keyspace: string;
  readonly ifExists: boolean;
}
export interface CreateTableStatement {
  readonly type: 'create_table';
  readonly table: QualifiedName;
  readonly ifNotExists: boolean;
  readonly columns: readonly ColumnDefinitionAst[];
  readonly partitionKey: readonly string[];
  readonly clustering: readonly string[];
  readonly clusteringOrder: readonly { readonly column: string; readonly descending: boolean }[];
  /** WITH options other than CLUSTERING ORDER (accepted, kept for system_schema, otherwise ignored). */
  readonly options: ReadonlyMap<string, string>;
}
export interface DropTableStatement {
  readonly type: 'drop_table';
  readonly table: QualifiedName;
  readonly ifExists: boolean;
}
export interface CreateTypeStatement {
  readonly type: 'create_type';
  readonly name: QualifiedName;
  readonly ifNotExists: boolean;
  readonly fields: readonly { readonly name: string; readonly type: TypeExpr }[];
}
export interface DropTypeStatement {
  readonly type: 'drop_type';
  readonly name: QualifiedName;
  readonly ifExists: boolean;
}
export interface AlterTableStatement {
  readonly type: 'alter_table';
  readonly table: QualifiedName;
  readonly add: readonly ColumnDefinitionAst[];
  readonly drop: readonly string[];
}
export interface UseStatement {
  readonly type: 'use';
  readonly keyspace: string;
}
export interface TruncateStatement {
  readonly type: 'truncate';
  readonly table: QualifiedName;
}

export interface InsertStatement {
  readonly type: 'insert';
  readonly table: QualifiedName;
  readonly columns: readonly string[];
  readonly values: readonly Term[];
  readonly ifNotExists: boolean;
  readonly using: UsingClause;
}

export type AssignmentOp = 'set' | 'add' | 'subtract' | 'prepend';
export interface Assignment {
  readonly column: string;
  readonly op: AssignmentOp;
  readonly term: Term;
  /** `c[key] = v`: the element key or list index. */
  readonly element: Term | undefined;
}
export interface UpdateStatement {
  readonly type: 'update';
  readonly table: QualifiedName;
  readonly using: UsingClause;
  readonly assignments: readonly Assignment[];
  readonly where: readonly Relation[];
  readonly ifExists: boolean;
}
export interface DeleteStatement {
  readonly type: 'delete';
  readonly table: QualifiedName;
  readonly columns: readonly string[];
  readonly using: UsingClause;
  readonly where: readonly Relation[];
  readonly ifExists: boolean;
}
export interface SelectStatement {
  readonly type: 'select';
  readonly table: QualifiedName;
  readonly json: boolean;
  readonly distinct: boolean;
  /** Undefined for `*`. */
  readonly selectors: readonly Selector[] | undefined;
  readonly where: readonly Relation[];
  readonly orderBy: readonly { readonly column: string; readonly descending: boolean }[];
  readonly perPartitionLimit: Term | undefined;
  readonly limit: Term | undefined;
  readonly allowFiltering: boolean;
}
export type ModificationStatement = InsertStatement | UpdateStatement | DeleteStatement;
export interface BatchStatement {
  readonly type: 'batch';
  readonly batchType: 'logged' | 'unlogged' | 'counter';
  readonly using: UsingClause;
  readonly statements: readonly ModificationStatement[];
}

export type Statement =
  | CreateKeyspaceStatement
  | DropKeyspaceStatement
  | CreateTableStatement
  | DropTableStatement
  | CreateTypeStatement
  | DropTypeStatement
  | AlterTableStatement
  | UseStatement
  | TruncateStatement
  | InsertStatement
  | UpdateStatement
  | DeleteStatement
  | SelectStatement
  | BatchStatement;

/** A parsed statement and its bind markers, in order of appearance. */
export interface ParsedStatement {
  readonly statement: Statement;
  /** Number of bind markers; each marker (positional or named) is its own variable. */
  readonly bindCount: number;
  /** The marker names (`undefined` for `?`), by variable index. */
  readonly bindNames: readonly (string | undefined)[];
}
