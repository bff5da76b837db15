import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { flattenMessage, markerSeverity } from './diagnostics.ts';

// Monaco's own enum, read from its declarations (its code needs a browser).
const MarkerSeverity = Object.fromEntries(
  [.../enum MarkerSeverity \{([^}]*)\}/.exec(readFileSync('node_modules/monaco-editor/monaco.d.ts', 'utf8'))![1]!.matchAll(/(\w+) = (\d+)/g)].map(([, name, value]) => [name, Number(value)]),
);

describe('diagnostics for the editor', () => {
  it('flatten a chain of reasons under its head, indented by depth', () => {
    expect(flattenMessage('plain')).toBe('plain');
    const chain = {
      messageText: "Type 'string' is not assignable to type 'Order'.",
      next: [{ messageText: "Property 'id' is missing.", next: [{ messageText: 'deeper' }] }, { messageText: 'second' }],
    };
    expect(flattenMessage(chain)).toBe("Type 'string' is not assignable to type 'Order'.\n  Property 'id' is missing.\n    deeper\n  second");
  });

  it("map TypeScript's categories to Monaco's severities", () => {
    expect(markerSeverity(1)).toBe(MarkerSeverity.Error);
    expect(markerSeverity(0)).toBe(MarkerSeverity.Warning);
    expect(markerSeverity(2)).toBe(MarkerSeverity.Hint);
    expect(markerSeverity(3)).toBe(MarkerSeverity.Info);
  });
});
