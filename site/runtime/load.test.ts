import { describe, expect, it } from 'vitest';
import { browserFacts, needsUserGestureToBoot, type BrowserFacts } from './browser-facts.ts';
import { chooseRuntime, loadRuntime, readRemembered, REMEMBERED_KEY } from './load.ts';
import { LOCAL_REMEDY, localRemedy } from './remedy.ts';
import { RuntimeError, type Runtime } from './port.ts';

const base = { query: '', isolated: true, supported: true, localToken: undefined };

describe('chooseRuntime', () => {
  it('uses WebContainer alone on an isolated page of a supported browser', () => {
    expect(chooseRuntime(base).order).toEqual(['webcontainer']);
  });

  it('uses Local at once when the local server served the page, though WebContainer could run', () => {
    const choice = chooseRuntime({ ...base, localToken: 't' });
    expect(choice.order).toEqual(['local']);
    expect(choice.reason).toMatch(/served by the local server/);
  });

  it('goes straight to Local when WebContainer cannot run and the local server is there', () => {
    expect(chooseRuntime({ ...base, isolated: false, localToken: 't' }).order).toEqual(['local']);
    expect(chooseRuntime({ ...base, supported: false, localToken: 't' }).order).toEqual(['local']);
  });

  it('tries a WebContainer chosen earlier in the tab first, with Local behind it', () => {
    expect(chooseRuntime({ ...base, localToken: 't', remembered: { kind: 'webcontainer', because: 'chosen' } }).order).toEqual(['webcontainer', 'local']);
    // Unless this browser cannot run it at all: then no waiting for a failure.
    expect(chooseRuntime({ ...base, isolated: false, localToken: 't', remembered: { kind: 'webcontainer', because: 'chosen' } }).order).toEqual(['local']);
  });

  it('goes straight to Local after a remembered fallback, and says why', () => {
    const choice = chooseRuntime({ ...base, localToken: 't', remembered: { kind: 'local', because: 'fallback' } });
    expect(choice.order).toEqual(['local']);
    expect(choice.reason).toMatch(/failed earlier/);
  });

  it('ignores what was remembered where there is no local server', () => {
    expect(chooseRuntime({ ...base, remembered: { kind: 'local', because: 'fallback' } }).order).toEqual(['webcontainer']);
  });

  it('keeps WebContainer (which explains the problem) when nothing else can run', () => {
    const choice = chooseRuntime({ ...base, isolated: false });
    expect(choice.order).toEqual(['webcontainer']);
    expect(choice.reason).toMatch(/not cross-origin isolated/);
  });

  it('obeys ?runtime= whatever the page can do', () => {
    expect(chooseRuntime({ ...base, query: '?runtime=local' }).order).toEqual(['local']);
    expect(chooseRuntime({ ...base, query: '?runtime=webcontainer', isolated: false, localToken: 't' }).order).toEqual(['webcontainer']);
    expect(chooseRuntime({ ...base, query: '?runtime=webcontainer', localToken: 't', remembered: { kind: 'local', because: 'fallback' } }).order).toEqual(['webcontainer']);
    expect(chooseRuntime({ ...base, query: '?x=1&runtime=local', localToken: 't' }).order).toEqual(['local']);
  });

  it('ignores an unknown ?runtime= value and says so', () => {
    const choice = chooseRuntime({ ...base, query: '?runtime=docker', localToken: 't' });
    expect(choice.order).toEqual(['local']);
    expect(choice.reason).toMatch(/ignored unknown \?runtime=docker/);
  });
});

describe('browserFacts', () => {
  const full = { crossOriginIsolated: true, SharedArrayBuffer, Atomics, ReadableStream, WritableStream, Worker: class {}, navigator: { userAgent: 'Chrome', maxTouchPoints: 0 } };

  it('finds nothing missing in a capable isolated browser', () => {
    expect(browserFacts(full)).toEqual({ isolated: true, missing: [], ios: false });
  });

  it('names what is missing', () => {
    expect(browserFacts({ ...full, crossOriginIsolated: false, SharedArrayBuffer: undefined, Atomics: {} }).missing).toEqual(['SharedArrayBuffer', 'Atomics.waitAsync']);
  });

  it('recognises iPhone and iPadOS (which claims to be a Mac)', () => {
    expect(browserFacts({ ...full, navigator: { userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X)' } }).ios).toBe(true);
    expect(browserFacts({ ...full, navigator: { userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7)', maxTouchPoints: 5 } }).ios).toBe(true);
    expect(browserFacts({ ...full, navigator: { userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7)', maxTouchPoints: 0 } }).ios).toBe(false);
  });

  it('asks for a gesture on iOS only outside one', () => {
    const iphone = { userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X)' };
    expect(needsUserGestureToBoot({ ...full, navigator: { ...iphone, userActivation: { isActive: false } } })).toBe(true);
    expect(needsUserGestureToBoot({ ...full, navigator: { ...iphone, userActivation: { isActive: true } } })).toBe(false);
    expect(needsUserGestureToBoot(full)).toBe(false);
  });
});

function memoryStore(initial?: object) {
  const values = new Map<string, string>(initial ? [[REMEMBERED_KEY, JSON.stringify(initial)]] : []);
  return { getItem: (key: string) => values.get(key) ?? null, setItem: (key: string, value: string) => void values.set(key, value) };
}

describe('the remedy of runtime errors', () => {
  it('points to the Download button, and to the repository only when one is configured', () => {
    expect(localRemedy(undefined)).toMatch(/press Download in the workbench[\s\S]*npm start/);
    expect(localRemedy(undefined)).not.toMatch(/https?:|deploy\/|clone/i);
    expect(localRemedy('https://example.org/shop')).toMatch(/from https:\/\/example\.org\/shop and run `npm start`/);
    expect(LOCAL_REMEDY).not.toMatch(/deploy\/|clone the project/i);
  });
});

describe('loadRuntime', () => {
  const capable: BrowserFacts = { isolated: true, missing: [], ios: false };
  const fakeRuntime = (kind: Runtime['kind']): Runtime => ({ kind, start: () => Promise.reject(new Error('unused')) });

  function importers(boot: () => Promise<void>) {
    const loaded: string[] = [];
    return {
      loaded,
      importers: {
        webcontainer: async () => {
          loaded.push('webcontainer');
          return { createWebContainerRuntime: () => ({ ...fakeRuntime('webcontainer'), kind: 'webcontainer' as const, boot }) };
        },
        local: async () => {
          loaded.push('local');
          return { createLocalRuntime: (token: string) => ({ ...fakeRuntime('local'), token }) };
        },
      },
    };
  }

  it('returns WebContainer without booting it when there is nothing to fall back to', async () => {
    let boots = 0;
    const { loaded, importers: imp } = importers(async () => void boots++);
    const runtime = await loadRuntime({ query: '', facts: capable, importers: imp, store: memoryStore() });
    expect(runtime.kind).toBe('webcontainer');
    expect(boots).toBe(0);
    expect(loaded).toEqual(['webcontainer']);
  });

  it('loads only Local on a page the local server served: no WebContainer attempt at all', async () => {
    let boots = 0;
    const { loaded, importers: imp } = importers(async () => void boots++);
    const runtime = await loadRuntime({ query: '', facts: capable, localToken: 'secret', importers: imp, store: memoryStore() });
    expect(runtime.kind).toBe('local');
    expect((runtime as Runtime & { token: string }).token).toBe('secret');
    expect(loaded).toEqual(['local']);
    expect(boots).toBe(0);
  });

  it('remembers ?runtime= for the next pages of the tab', async () => {
    const store = memoryStore();
    const first = importers(async () => {});
    await loadRuntime({ query: '?runtime=webcontainer', facts: capable, localToken: 't', importers: first.importers, store });
    expect(readRemembered(store)).toEqual({ kind: 'webcontainer', because: 'chosen' });
    const next = importers(async () => {});
    const runtime = await loadRuntime({ query: '', facts: capable, localToken: 't', importers: next.importers, store });
    expect(runtime.kind).toBe('webcontainer');
  });

  it('falls back to Local when a chosen WebContainer fails to boot, says why, and remembers it', async () => {
    const store = memoryStore({ kind: 'webcontainer', because: 'chosen' });
    const { loaded, importers: imp } = importers(() => Promise.reject(new RuntimeError('did not boot within 20 s', 'clone')));
    const output: string[] = [];
    const runtime = await loadRuntime({ query: '', facts: capable, localToken: 'secret', importers: imp, store, listener: { output: (text) => output.push(text) } });
    expect(runtime.kind).toBe('local');
    expect(loaded).toEqual(['webcontainer', 'local']);
    expect(output.join('')).toMatch(/did not boot within 20 s[\s\S]*Using the local runtime instead[\s\S]*\?runtime=webcontainer/);
    expect(readRemembered(store)).toEqual({ kind: 'local', because: 'fallback' });

    // The next chapter: Local at once, and the Output says why and how to retry.
    const next = importers(async () => {});
    const nextOutput: string[] = [];
    const again = await loadRuntime({ query: '', facts: capable, localToken: 'secret', importers: next.importers, store, listener: { output: (text) => nextOutput.push(text) } });
    expect(again.kind).toBe('local');
    expect(next.loaded).toEqual(['local']);
    expect(nextOutput.join('')).toMatch(/failed on an earlier page[\s\S]*\?runtime=webcontainer/);
  });

  it('retries WebContainer when the reader asks with ?runtime=webcontainer after a fallback', async () => {
    const store = memoryStore({ kind: 'local', because: 'fallback' });
    const { loaded, importers: imp } = importers(async () => {});
    const runtime = await loadRuntime({ query: '?runtime=webcontainer', facts: capable, localToken: 't', importers: imp, store });
    expect(runtime.kind).toBe('webcontainer');
    expect(loaded).toEqual(['webcontainer']);
    expect(readRemembered(store)).toEqual({ kind: 'webcontainer', because: 'chosen' });
  });

  it('chooses afresh when storage is blocked or holds something else', async () => {
    const blocked = { getItem: () => { throw new Error('denied'); }, setItem: () => { throw new Error('denied'); } };
    const { loaded, importers: imp } = importers(async () => {});
    expect((await loadRuntime({ query: '?runtime=webcontainer', facts: capable, localToken: 't', importers: imp, store: blocked })).kind).toBe('webcontainer');
    expect((await loadRuntime({ query: '', facts: capable, localToken: 't', importers: imp, store: blocked })).kind).toBe('local');
    expect(loaded).toEqual(['webcontainer', 'local']);
    expect(readRemembered(memoryStore('nonsense' as never))).toBeUndefined();
  });

  it('never loads WebContainer when Local is forced', async () => {
    const { loaded, importers: imp } = importers(async () => {});
    const runtime = await loadRuntime({ query: '?runtime=local', facts: capable, localToken: 't', importers: imp, store: memoryStore() });
    expect(runtime.kind).toBe('local');
    expect(loaded).toEqual(['local']);
  });

  it('explains that ?runtime=local needs the local server', async () => {
    const { importers: imp } = importers(async () => {});
    const error = await loadRuntime({ query: '?runtime=local', facts: capable, importers: imp, store: memoryStore() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RuntimeError);
    expect((error as RuntimeError).remedy).toMatch(/npm start/);
  });
});

describe('loadRuntime offline', () => {
  const capable: BrowserFacts = { isolated: true, missing: [], ios: false };
  const store = () => ({ getItem: () => null, setItem: () => {} });
  const imp = (loaded: string[]) => ({
    webcontainer: async () => {
      loaded.push('webcontainer');
      return { createWebContainerRuntime: () => ({ kind: 'webcontainer' as const, start: () => Promise.reject(new Error('unused')), writeFile: async () => {}, boot: async () => {} }) };
    },
    local: async () => {
      loaded.push('local');
      return { createLocalRuntime: () => ({ kind: 'local' as const, start: () => Promise.reject(new Error('unused')), writeFile: async () => {} }) };
    },
  });

  it('fails at once, without loading WebContainer, and points to the way out', async () => {
    const loaded: string[] = [];
    const started = Date.now();
    const error = await loadRuntime({ query: '', facts: capable, online: false, importers: imp(loaded), store: store() }).catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(500);
    expect(error).toBeInstanceOf(RuntimeError);
    expect((error as RuntimeError).message).toMatch(/offline/);
    expect((error as RuntimeError).remedy).toMatch(/press Download in the workbench/);
    expect(loaded).toEqual([]);
  });
});
