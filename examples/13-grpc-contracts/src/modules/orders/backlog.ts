// Private to the orders module: backpressure. An accepted order must be final within 10 s
// (the contract), and the orchestrator finishes only so many sagas a second. Past a bound,
// accepting more only makes every order wait longer: the backlog grows for as long as the load
// lasts, and the last orders miss their 10 s. So POST /orders counts the sagas with work left
// before it stores anything, and past the bound answers 503 `overloaded` with Retry-After:
// the client learns to slow down, and what was accepted still finishes in time.
//
// The bound is Little's law turned round: an order that joins a backlog of L waits about
// L / X, X being the orders finished a second. X measured under load (`npm run measure:load`
// in examples/contract, which records into the project's measurements.json): stage 10 finished
// 7.3 orders a second on two busy cores under 20 + 10 connections, so 50 unfinished orders
// drain in about 7 s, leaving room for the order's own steps within the 10 s.

import { ShopError } from '../../shared/errors.ts';

// #region backlog-limit
export const BACKLOG_LIMIT = 50;
// about the time the orchestrator needs to finish a tenth of the bound at the measured rate,
// rounded up: long enough that a retry meets a shorter backlog
export const RETRY_AFTER_SECONDS = 1;

// Throws `overloaded` when `count` says the backlog is at the bound; a bound of 0 turns the
// check off (BACKLOG_LIMIT=0, for the chapter's experiment of a backlog without a bound).
export async function admit(limit: number, count: () => Promise<number>): Promise<void> {
  if (limit <= 0) return;
  const unfinished = await count();
  if (unfinished >= limit) {
    throw new ShopError('overloaded', `${unfinished} orders are still being processed, the most this shop takes on at once; try again in ${RETRY_AFTER_SECONDS} s`, RETRY_AFTER_SECONDS);
  }
}
// #endregion backlog-limit
