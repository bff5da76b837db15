// Shared steps of the compare page's end-to-end tests (role and label locators only).
import type { Page } from '../fixtures.ts';

/** The step the second chapter teaches: stage 1 to stage 2, both light enough to run twice at once. */
export const pair = '/compare/01-single-file/02-ports-and-adapters/';
/** The same page with the Local runtime forced: the project's own server runs both stages. */
export const pairWithLocalRuntime = `${pair}?runtime=local`;

/** One side of "Run both": the region named after its stage ("Stage 01: One file"). */
export const side = (page: Page, number: string) => page.getByRole('region', { name: new RegExp(`^Stage ${number}: `) });

/** The numbers in a text, e.g. "1,234 ms" -> [1234]. */
export const numbersIn = (text: string) => [...text.replace(/,/g, '').matchAll(/\d+(?:\.\d+)?/g)].map((m) => Number(m[0]));
