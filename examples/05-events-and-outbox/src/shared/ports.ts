// Shared by every module: the ports it needs from outside. What time it is, the next id,
// and the database (src/adapters/database.ts opens one).

import type { PGlite } from '@electric-sql/pglite';

export interface Clock {
  // the current time as an ISO 8601 string
  now(): string;
}

export interface IdGenerator {
  // a new id starting with the prefix, e.g. ord_7
  next(prefix: string): string;
}

// The database the modules query. For now it is PGlite's own type: there is one kind of
// database, and the modules use only its query and transaction. Stage 6, where a second
// kind arrives, writes those methods down as an interface of their own.
export type Database = PGlite;
