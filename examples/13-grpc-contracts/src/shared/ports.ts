// Shared by every module: the ports it needs from outside. What time it is, the next id,
// and the database, which src/adapters/database.ts implements twice.

export interface Clock {
  // the current time as an ISO 8601 string
  now(): string;
}

export interface IdGenerator {
  // a new id starting with the prefix, e.g. ord_7
  next(prefix: string): string;
}

// #region database-type
// What the modules use of a database. PGlite has it all; so has the `pg` connection that
// connectDatabase() in src/adapters/database.ts makes.
export type Results<T> = { rows: T[]; affectedRows?: number };
export interface Queryable {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<Results<T>>;
  exec(sql: string): Promise<unknown>;
}
export interface Transaction extends Queryable {
  rollback(): Promise<void>;
}
export interface Database extends Queryable {
  transaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
// #endregion database-type
