// Page-wide state. `WebContainer.boot()` may succeed only once per page, so the booted
// instance, the dependency mount, the Node probe and each slot's file hashes live in one
// object on globalThis (key STATE_KEY): every runtime the adapter creates, for any stage or
// slot, uses the same instance. With Astro view transitions the JS realm survives a chapter
// change, so this state does too (./view-transitions.ts keeps the iframe alive).
import type { FileMap, RunningStage } from '../port.ts';
import type { WebContainerApi, WebContainerLike } from './api.ts';

/** What the container's Node can do, as ./probe.ts finds out (kept here, where the state holds it). */
export interface NodeProbe {
  /** `node -v`. */
  version: string;
  /** `process.features.typescript`: 'strip', 'transform', or false (no type stripping). */
  typescript: string | false;
  /** Whether importing a .mts file with a type annotation really worked. */
  runsTypeScript: boolean;
  /** Whether AsyncLocalStorage kept its store across an await and a timer. */
  asyncContext: boolean;
}

export interface SlotState {
  /** The slot's PORT (3000, 3001, … in the order slots are first used). */
  port: number;
  /** Hash of each file written into this slot's workspace, by workspace path. */
  hashes: Map<string, string>;
  run?: RunningStage;
}

export interface BootState {
  instance?: WebContainerLike;
  /** The API's boot, kept even after our timeout: the package queues any further boot() behind it. */
  booting?: Promise<WebContainerLike>;
  gesture?: Promise<void>;
  /** Pinning, dependency snapshot, request helper and the Node probe, once per boot. */
  prepared?: Promise<void>;
  /** What the container's Node can do (./probe.ts); undefined when the probe itself failed. */
  probe?: NodeProbe;
  /** The probe's report still to be shown: the first run after boot prints it. */
  probeReport?: string;
  contract?: Promise<FileMap>;
  /** Open ports and their preview URLs, from the `port` and `server-ready` events. */
  ports: Map<number, string>;
  /** Told of every port that opens or closes. */
  portChanged: Set<(port: number, open: boolean) => void>;
  slots: Map<string, SlotState>;
  requests: number;
  /** Where the container's own `error` events go: the output of each slot's current run. */
  reportError: Map<string, (text: string) => void>;
}

const STATE_KEY = '__monolithToDistributedWebContainer';
const testStates = new WeakMap<WebContainerApi, BootState>();

function newState(): BootState {
  return { ports: new Map(), portChanged: new Set(), slots: new Map(), requests: 0, reportError: new Map() };
}

/** The page's state; a test's fake API gets a state of its own. */
export function stateFor(api: WebContainerApi | undefined): BootState {
  if (api) {
    let state = testStates.get(api);
    if (!state) testStates.set(api, (state = newState()));
    return state;
  }
  const scope = globalThis as typeof globalThis & { [STATE_KEY]?: BootState };
  return (scope[STATE_KEY] ??= newState());
}

/** Records a port event and tells whoever waits on ports. */
export function portEvent(state: BootState, port: number, open: boolean, url?: string): void {
  if (open) state.ports.set(port, url ?? state.ports.get(port) ?? `http://127.0.0.1:${port}`);
  else state.ports.delete(port);
  for (const notify of state.portChanged) notify(port, open);
}

/** Resolves true once `port` is open (or closed, with open=false), false after `ms`. */
export function waitForPort(state: BootState, port: number, open: boolean, ms: number): Promise<boolean> {
  return waitForPorts(state, [port], open, ms);
}

/** Resolves true once every one of `ports` is open (or closed), false after `ms`. */
export function waitForPorts(state: BootState, ports: Iterable<number>, open: boolean, ms: number): Promise<boolean> {
  const wanted = [...ports];
  return new Promise((resolve) => {
    const check = () => {
      if (wanted.every((port) => state.ports.has(port) === open)) finish(true);
    };
    const timer = setTimeout(() => finish(false), ms);
    const finish = (ok: boolean) => {
      clearTimeout(timer);
      state.portChanged.delete(check);
      resolve(ok);
    };
    state.portChanged.add(check);
    check();
  });
}
