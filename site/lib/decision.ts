// The extraction decision framework: five criteria scored 0-2, a module is a candidate for its
// own service at 6 of 10 or more. One pure function decides, for the page, the calculator's
// client script and the tests alike.

export type Level = 0 | 1 | 2;
export type CriterionId = 'scaling' | 'team' | 'deploy' | 'compliance' | 'communication';

export interface Criterion {
  id: CriterionId;
  label: string;
  question: string;
  /** What scores 0, 1 and 2. */
  levels: readonly [string, string, string];
}

export const criteria: readonly Criterion[] = [
  { id: 'scaling', label: 'Independent scaling', question: 'How much more capacity does it need than the rest of the shop?', levels: ['The same as the rest', '2-3x the rest', '10x or more'] },
  { id: 'team', label: 'Team ownership', question: 'Does a separate team own it?', levels: ['No separate team', 'Sometimes a separate team', 'A dedicated team'] },
  { id: 'deploy', label: 'Deploy cadence', question: 'How often does it need to ship on its own?', levels: ['Ships with everything', 'Sometimes alone', 'Many times a day, alone'] },
  { id: 'compliance', label: 'Compliance or security isolation', question: 'Must it be fenced off from the rest?', levels: ['No isolation needed', 'Audit needs', 'Hard isolation (such as PCI)'] },
  { id: 'communication', label: 'Communication independence', question: 'How does the rest of the shop talk to it?', levels: ['Chatty: many calls per request', 'Moderate: a few calls', 'Fire-and-forget events'] },
];

export type Scores = Record<CriterionId, Level>;

export const maxTotal = 10;
/** A module is worth extracting from this total on. */
export const threshold = 6;

/** extract: the need is there. keep: it is not. warning: the total says yes, chatty traffic says no. */
export type Verdict = 'extract' | 'keep' | 'warning';

export interface Assessment {
  total: number;
  verdict: Verdict;
  /** One line for the verdict, e.g. "Extract it". */
  headline: string;
  /** Why, in sentences: the threshold, the chatty rule, and what the points came from. */
  reasons: string[];
}

export const verdictHeadlines: Record<Verdict, string> = {
  extract: 'Extract it: a service pays for itself',
  keep: 'Keep it in the monolith',
  warning: 'Borderline: fix the chattiness before extracting',
};

const isLevel = (value: unknown): value is Level => value === 0 || value === 1 || value === 2;

/** Refuses anything but a 0, 1 or 2 for each of the five criteria, and unknown criteria. */
export function validateScores(scores: unknown): Scores {
  if (typeof scores !== 'object' || scores === null) throw new TypeError('scores must be an object with one score per criterion');
  const record = scores as Record<string, unknown>;
  const known = new Set<string>(criteria.map((c) => c.id));
  const unknown = Object.keys(record).filter((key) => !known.has(key));
  if (unknown.length) throw new RangeError(`unknown criterion: ${unknown.join(', ')}`);
  for (const { id } of criteria) {
    if (!(id in record)) throw new RangeError(`missing score for ${id}`);
    if (!isLevel(record[id])) throw new RangeError(`score for ${id} must be 0, 1 or 2, not ${JSON.stringify(record[id])}`);
  }
  return record as Scores;
}

// The chatty rule: a module the rest calls many times per request turns every one of those calls
// into a network hop (latency, partial failure, retries). However high the other scores, it is
// not extracted as it is: the verdict is "warning" until communication scores at least 1.
export function assess(input: Scores): Assessment {
  const scores = validateScores(input);
  const total = criteria.reduce((sum, { id }) => sum + scores[id], 0);
  const chatty = scores.communication === 0;
  const verdict: Verdict = total < threshold ? 'keep' : chatty ? 'warning' : 'extract';
  const reasons: string[] = [];

  if (total < threshold) {
    const short = threshold - total;
    reasons.push(`${total} of ${maxTotal} is below the threshold of ${threshold}: ${short} more ${short === 1 ? 'point' : 'points'} of real need before a split pays for its network hops.`);
  } else {
    reasons.push(`${total} of ${maxTotal} reaches the threshold of ${threshold}.`);
  }
  if (chatty) {
    reasons.push(
      verdict === 'warning'
        ? 'But it is chatty: the rest of the shop calls it many times per request, and each call would become a network hop that is slower and can fail. Make the interface coarser or move it to events first, then score communication again.'
        : 'It is also chatty: each of its many calls per request would become a network hop.',
    );
  }
  const strong = criteria.filter((c) => scores[c.id] === 2).map((c) => `${c.label.toLowerCase()} (${c.levels[2].toLowerCase()})`);
  const some = criteria.filter((c) => scores[c.id] === 1).map((c) => `${c.label.toLowerCase()} (${c.levels[1].toLowerCase()})`);
  if (strong.length) reasons.push(`Strong reasons: ${strong.join('; ')}.`);
  if (some.length) reasons.push(`Partial reasons: ${some.join('; ')}.`);
  if (!strong.length && !some.length) reasons.push('No criterion speaks for a split.');

  return { total, verdict, headline: verdictHeadlines[verdict], reasons };
}

export interface Preset {
  id: string;
  name: string;
  scores: Scores;
  /** Why we scored it so, one sentence per criterion that is not obvious. */
  why: string;
}

// Our scores for the shop's four modules as a real business would run them. Each preset shows
// one of the verdicts: payments just reaches 6, notifications misses by one, inventory is far
// off, and orders scores 6 yet is the chattiest of all.
export const presets: readonly Preset[] = [
  {
    id: 'payments',
    name: 'Payments',
    scores: { scaling: 1, team: 1, deploy: 1, compliance: 2, communication: 1 },
    why: 'Card data brings PCI isolation with it, and the card processor is slow enough that checkout peaks need extra payments capacity; one charge or refund per order is a moderate, narrow interface.',
  },
  {
    id: 'inventory',
    name: 'Inventory',
    scores: { scaling: 1, team: 0, deploy: 0, compliance: 0, communication: 0 },
    why: 'Stock is read on every product page, but nobody owns it apart from the shop, and every order checks and reserves it in the same breath: the guarantee against overselling lives in that closeness.',
  },
  {
    id: 'notifications',
    name: 'Notifications',
    scores: { scaling: 1, team: 0, deploy: 1, compliance: 1, communication: 2 },
    why: 'It already listens to events and answers nobody, so it would split cleanly, and e-mail templates sometimes ship alone; but no team, no scale and only an audit of what was sent ask for it.',
  },
  {
    id: 'orders',
    name: 'Orders',
    scores: { scaling: 2, team: 2, deploy: 2, compliance: 0, communication: 0 },
    why: 'Orders is the busiest part and the one the checkout team changes every day, but it calls inventory, payments and notifications on every order: its needs are the monolith\'s needs.',
  },
];

/** The scores as a URL hash, e.g. "#scaling=1&team=0&…", so a scored module can be linked. */
export function scoresToHash(scores: Partial<Scores>): string {
  const parts = criteria.filter((c) => isLevel(scores[c.id])).map((c) => `${c.id}=${scores[c.id]}`);
  return parts.length ? `#${parts.join('&')}` : '';
}

/** The scores a hash carries; anything unknown or out of range is left out. */
export function scoresFromHash(hash: string): Partial<Scores> {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const scores: Partial<Scores> = {};
  for (const { id } of criteria) {
    const raw = params.get(id);
    const value = raw === null || !/^[0-2]$/.test(raw) ? undefined : Number(raw);
    if (isLevel(value)) scores[id] = value;
  }
  return scores;
}
