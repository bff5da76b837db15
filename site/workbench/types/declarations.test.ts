import { describe, expect, it } from 'vitest';
import { stageDeclarations } from './declarations.ts';

// One run of TypeScript's module resolution over all the stages, shared by the tests.
const { stages, packages } = stageDeclarations();
const filesOf = (stage: string) => (stages[stage] ?? []).flatMap((slug) => Object.keys(packages.get(slug) ?? {}));

describe('declarations shipped to the editor', () => {
  it('give every stage Node\'s types', () => {
    for (const [stage, slugs] of Object.entries(stages)) expect(slugs, stage).toContain('types__node');
    expect(filesOf('01-single-file')).toContain('node_modules/@types/node/http.d.ts');
  });

  it("follow what a stage imports, with the packages their declarations import in turn", () => {
    const seven = stages['07-surviving-the-network'] ?? [];
    expect(seven).toEqual(expect.arrayContaining(['cockatiel', 'types__pg', 'pg-types', 'pg-protocol', 'electric-sql__pglite', 'electric-sql__pglite-socket']));
    // Stage 7 has no broker yet; stage 8 brings mqtt and aedes, and what their declarations use.
    expect(seven).not.toContain('mqtt');
    expect(stages['08-message-broker']).toEqual(expect.arrayContaining(['mqtt', 'aedes', 'mqtt-packet', 'types__ws']));
    expect(stages['11-gateway-and-observability']).toEqual(expect.arrayContaining(['jose', 'opentelemetry__api', 'opentelemetry__sdk-trace-base']));
    // Stage 13's RPCs: Connect, its Node package (imported lazily, still typed) and protobuf-es,
    // which the generated code in src/gen/ imports.
    expect(stages['13-grpc-contracts']).toEqual(expect.arrayContaining(['connectrpc__connect', 'connectrpc__connect-node', 'bufbuild__protobuf']));
    expect(stages['12-running-it-for-real']).not.toContain('connectrpc__connect');
    // Stage 1 imports no package at all.
    expect(stages['01-single-file']).not.toContain('cockatiel');
  });

  it('are declarations and package.json files only, never code or TypeScript\'s own libraries', () => {
    for (const files of packages.values()) {
      for (const path of Object.keys(files)) {
        expect(path).toMatch(/^node_modules\/.*(\.d\.[cm]?ts|\/package\.json)$/);
        expect(path).not.toMatch(/\/lib\.[\w.]+\.d\.ts$/);
      }
    }
    const cockatiel = packages.get('cockatiel') ?? {};
    expect(JSON.parse(cockatiel['node_modules/cockatiel/package.json'] ?? '{}')).not.toHaveProperty('devDependencies');
  });

  it('keep every served file a reasonable size', () => {
    for (const [slug, files] of packages) expect(JSON.stringify({ files }).length, slug).toBeLessThan(3_000_000);
  });
});
