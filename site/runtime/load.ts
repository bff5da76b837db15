// Chooses the runtime for this page and loads its adapter. Both adapters are reached only
// through `import()`, so a chapter page ships neither until the workbench asks for one; this
// module itself is small and has no dependencies beyond the port.
//
// The choice (see chooseRuntime): `?runtime=webcontainer` or `?runtime=local` forces one.
// Otherwise a page served by the project's own local server (`npm start`; readLocalRunnerToken()
// finds its token) uses Local at once: the reader's machine is right there, and WebContainer
// would first need its host on the internet. Elsewhere WebContainer is the only runtime.
// A `?runtime=` choice is remembered for the tab (sessionStorage), since chapter links drop the
// query; if a remembered WebContainer then fails on a local page, Local takes over and that is
// remembered instead, so the next chapter does not wait for the same failure again.
import { RuntimeError, type RunListener, type Runtime, type RuntimeKind } from './port.ts';
import { localRemedy } from './remedy.ts';

/** What the remedy of every "WebContainer cannot run here" error ends with. (`?.`: plain Node, which runs the adapter in the container double, has no import.meta.env.) */
export const LOCAL_REMEDY = localRemedy(import.meta.env?.PUBLIC_REPOSITORY_URL as string | undefined);

/** Facts about this browser and page that decide whether WebContainer can run. */
export interface BrowserFacts {
  /** `crossOriginIsolated`: the page was served with COOP/COEP, so SharedArrayBuffer is allowed. */
  isolated: boolean;
  /** Web platform features WebContainer needs that this browser lacks; empty when supported. */
  missing: string[];
  /** Safari on iPhone/iPad (every iOS browser is Safari underneath). */
  ios: boolean;
}

type Scope = {
  crossOriginIsolated?: boolean;
  SharedArrayBuffer?: unknown;
  Atomics?: { waitAsync?: unknown };
  ReadableStream?: unknown;
  WritableStream?: unknown;
  Worker?: unknown;
  navigator?: { userAgent?: string; maxTouchPoints?: number };
};

export function browserFacts(scope: Scope = globalThis as Scope): BrowserFacts {
  const missing: string[] = [];
  if (typeof scope.SharedArrayBuffer !== 'function') missing.push('SharedArrayBuffer');
  if (typeof scope.Atomics?.waitAsync !== 'function') missing.push('Atomics.waitAsync');
  if (typeof scope.ReadableStream !== 'function' || typeof scope.WritableStream !== 'function') missing.push('Streams');
  if (typeof scope.Worker !== 'function') missing.push('Web Workers');
  const agent = scope.navigator?.userAgent ?? '';
  // iPadOS reports itself as a Mac; a touch screen gives it away.
  const ios = /\b(iPhone|iPad|iPod)\b/.test(agent) || (agent.includes('Macintosh') && (scope.navigator?.maxTouchPoints ?? 0) > 1);
  return { isolated: scope.crossOriginIsolated === true, missing, ios };
}

/**
 * True on iOS/iPadOS until the reader has pressed something: there a WebContainer boots only
 * on an explicit request (a tab's memory is tight, so the page never boots one on its own).
 * The workbench shows a "Start" button while this is true; the adapter's boot waits for the
 * next tap or key press when it is asked to boot without one.
 */
export function needsUserGestureToBoot(scope: Scope & { navigator?: { userActivation?: { isActive?: boolean } } } = globalThis as Scope): boolean {
  return browserFacts(scope).ios && scope.navigator?.userActivation?.isActive !== true;
}

/** The token the local server puts in its pages (the same meta tag local.ts reads). */
export function readLocalRunnerToken(doc: Pick<Document, 'querySelector'> | undefined = globalThis.document): string | undefined {
  return doc?.querySelector<HTMLMetaElement>('meta[name="local-runner"]')?.content || undefined;
}

/**
 * What this tab remembers from earlier pages: the reader's own `?runtime=` choice, or that
 * WebContainer failed and Local took over (a fallback).
 */
export interface RememberedRuntime {
  kind: RuntimeKind;
  because: 'chosen' | 'fallback';
}

export interface ChoiceInputs {
  /** The page's query string, e.g. "?runtime=local". */
  query: string;
  isolated: boolean;
  supported: boolean;
  /** Set when the page was served by the project's local server. */
  localToken: string | undefined;
  /** From an earlier page in this tab, if any. */
  remembered?: RememberedRuntime | undefined;
}

export interface RuntimeChoice {
  /** Runtimes to try, in order: the first that starts wins. */
  order: RuntimeKind[];
  /** Why, in words (for logs and tests). */
  reason: string;
}

export function chooseRuntime({ query, isolated, supported, localToken, remembered }: ChoiceInputs): RuntimeChoice {
  const forced = new URLSearchParams(query).get('runtime');
  if (forced === 'webcontainer' || forced === 'local') return { order: [forced], reason: `forced by ?runtime=${forced}` };
  const ignored = forced === null ? '' : ` (ignored unknown ?runtime=${forced})`;
  const canRun = isolated && supported;
  if (localToken) {
    if (remembered?.kind === 'webcontainer' && canRun) {
      return { order: ['webcontainer', 'local'], reason: `?runtime=webcontainer was chosen earlier in this tab; Local if it fails to boot${ignored}` };
    }
    if (remembered?.kind === 'local' && remembered.because === 'fallback') {
      return { order: ['local'], reason: `WebContainer failed earlier in this tab${ignored}` };
    }
    return { order: ['local'], reason: `the page is served by the local server${ignored}` };
  }
  if (canRun) return { order: ['webcontainer'], reason: `WebContainer can run here${ignored}` };
  const why = isolated ? 'this browser lacks what WebContainer needs' : 'the page is not cross-origin isolated';
  // Nothing else to offer: WebContainer's adapter then explains at once what is missing and the way out.
  return { order: ['webcontainer'], reason: `${why} and there is no local server${ignored}` };
}

/** Where the remembered choice lives: per tab, so a new tab (or tomorrow) starts afresh. */
export const REMEMBERED_KEY = 'runtime-choice';

type KeyValueStore = Pick<Storage, 'getItem' | 'setItem'>;

function sessionStore(): KeyValueStore | undefined {
  try {
    return globalThis.sessionStorage;
  } catch {
    return undefined; // storage blocked (privacy settings): nothing is remembered
  }
}

export function readRemembered(store: KeyValueStore | undefined): RememberedRuntime | undefined {
  try {
    const value = JSON.parse(store?.getItem(REMEMBERED_KEY) ?? 'null') as Partial<RememberedRuntime> | null;
    const kindOk = value?.kind === 'webcontainer' || value?.kind === 'local';
    const becauseOk = value?.because === 'chosen' || value?.because === 'fallback';
    return kindOk && becauseOk ? (value as RememberedRuntime) : undefined;
  } catch {
    return undefined;
  }
}

function remember(store: KeyValueStore | undefined, value: RememberedRuntime): void {
  try {
    store?.setItem(REMEMBERED_KEY, JSON.stringify(value));
  } catch {
    // Full or blocked storage: the next page chooses afresh, which is only slower.
  }
}

function offline(): RuntimeError {
  return new RuntimeError(
    'The in-browser runtime (WebContainer) cannot start: this browser is offline, and WebContainer boots from stackblitz.com.',
    `Connect to the internet, then press Run again. ${LOCAL_REMEDY}`,
  );
}

type WebContainerModule = typeof import('./webcontainer.ts');
type LocalModule = { createLocalRuntime(token: string): Runtime };

export interface LoadOptions {
  /** Progress of booting and notes such as a fallback; the same listener as a run's is fine. */
  listener?: Partial<RunListener>;
  /** Defaults to the page's own: location.search, browserFacts(), the local-runner meta tag. */
  query?: string;
  facts?: BrowserFacts;
  localToken?: string;
  /** Whether the browser believes it is online. Default: navigator.onLine. */
  online?: boolean;
  /** Where the tab's remembered choice is kept. Default: sessionStorage. */
  store?: KeyValueStore;
  /** WebContainer's boot timeout (the adapter's default is 20 s). */
  bootTimeoutMs?: number;
  /** For tests: where the adapters come from. */
  importers?: { webcontainer(): Promise<Pick<WebContainerModule, 'createWebContainerRuntime'>>; local(): Promise<LocalModule> };
}

const defaultImporters = {
  webcontainer: () => import('./webcontainer.ts'),
  local: () => import('./local.ts'),
};

/**
 * The runtime the workbench uses. With a fallback available (WebContainer first, Local
 * second), WebContainer is booted here so a failure can still switch to Local; otherwise
 * booting happens on the first start() and reports through that run's listener.
 * Rejects with a RuntimeError (message and remedy) when no runtime can run.
 */
export async function loadRuntime(options: LoadOptions = {}): Promise<Runtime> {
  const facts = options.facts ?? browserFacts();
  const localToken = options.localToken ?? readLocalRunnerToken();
  const importers = options.importers ?? defaultImporters;
  const store = 'store' in options ? options.store : sessionStore();
  const query = options.query ?? globalThis.location?.search ?? '';
  const remembered = readRemembered(store);
  const choice = chooseRuntime({ query, isolated: facts.isolated, supported: facts.missing.length === 0, localToken, remembered });
  const forced = choice.order.length === 1 && new URLSearchParams(query).get('runtime') === choice.order[0];
  if (forced) remember(store, { kind: choice.order[0]!, because: 'chosen' });
  else if (localToken && remembered?.because === 'fallback' && choice.order[0] === 'local') {
    options.listener?.output?.('Using the Local runtime: WebContainer failed on an earlier page in this tab. Add ?runtime=webcontainer to the address to try it again.\n');
  }
  let failure: unknown;
  for (const [index, kind] of choice.order.entries()) {
    const fallback = choice.order[index + 1];
    try {
      if (kind === 'local') {
        if (!localToken) {
          throw new RuntimeError(
            'The Local runtime was asked for (?runtime=local), but this page was not served by the project’s local server.',
            `Remove ?runtime=local from the address to use WebContainer. ${LOCAL_REMEDY}`,
          );
        }
        const { createLocalRuntime } = await importers.local();
        return createLocalRuntime(localToken);
      }
      // WebContainer boots from stackblitz.com: offline it would only wait for its boot timeout.
      if (!(options.online ?? globalThis.navigator?.onLine !== false)) throw offline();
      const { createWebContainerRuntime } = await importers.webcontainer();
      const runtime = createWebContainerRuntime(options.bootTimeoutMs === undefined ? {} : { bootTimeoutMs: options.bootTimeoutMs });
      if (fallback) await runtime.boot(options.listener);
      return runtime;
    } catch (error) {
      failure = error;
      if (!fallback) break;
      options.listener?.output?.(`${kind} runtime could not start: ${(error as Error).message}\nUsing the ${fallback} runtime instead.\n`);
      if (kind === 'webcontainer' && fallback === 'local') {
        remember(store, { kind: 'local', because: 'fallback' });
        options.listener?.output?.('The next pages in this tab use the Local runtime at once; add ?runtime=webcontainer to the address to try WebContainer again.\n');
      }
    }
  }
  throw failure;
}
