// Glossary definitions and "elsewhere" notes are plain strings in data, where `backticks` mark
// code. Split into parts a component renders as text or <code>, so nothing is ever set as HTML.
export interface TextPart {
  text: string;
  code: boolean;
}

export function inlineCode(text: string): TextPart[] {
  return text
    .split(/(`[^`]+`)/)
    .filter((part) => part !== '')
    .map((part) => (part.length > 2 && part.startsWith('`') && part.endsWith('`') ? { text: part.slice(1, -1), code: true } : { text: part, code: false }));
}
