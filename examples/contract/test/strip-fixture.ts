// The small program both strip-types tests run: types on every line, and an error thrown on
// line 6, column 9, after types that the stripping replaces by spaces.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const sampleApp: Record<string, string> = {
  'package.json': '{ "type": "module" }',
  'helper.ts': 'export type Shout = (words: string) => string;\nexport const shout: Shout = (words: string): string => words.toUpperCase();\n',
  'main.ts': [
    "import { shout, type Shout } from './helper.ts';",
    'interface Order { id: string }',
    "const order: Order = { id: 'a-1' };",
    'console.log((shout satisfies Shout)(order.id));',
    'function fail(o: Order): never {',
    '  throw new Error(`failed ${o.id}`);',
    '}',
    'fail(order);',
  ].join('\n'),
};

export function writeSampleApp(dir: string): void {
  for (const [name, text] of Object.entries(sampleApp)) writeFileSync(join(dir, name), text);
}
