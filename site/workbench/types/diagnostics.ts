// TypeScript's diagnostics as the editor shows them: one message text (a chain of reasons
// indented under its head) and Monaco's severity for TypeScript's category.

interface MessageChain {
  messageText: string;
  next?: MessageChain[];
}

export function flattenMessage(text: string | MessageChain, depth = 0): string {
  if (typeof text === 'string') return text;
  return ['  '.repeat(depth) + text.messageText, ...(text.next ?? []).map((next) => flattenMessage(next, depth + 1))].join('\n');
}

// Monaco's MarkerSeverity values (Hint 1, Info 2, Warning 4, Error 8), by TypeScript's
// category (warning 0, error 1, suggestion 2, message 3).
const severities = [4, 8, 1, 2] as const;

export function markerSeverity(category: 0 | 1 | 2 | 3): 1 | 2 | 4 | 8 {
  return severities[category];
}
