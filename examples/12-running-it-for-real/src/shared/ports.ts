// Shared by every module: the two smallest ports, what time it is and the next id.

export interface Clock {
  // the current time as an ISO 8601 string
  now(): string;
}

export interface IdGenerator {
  // a new id starting with the prefix, e.g. ord_7
  next(prefix: string): string;
}
