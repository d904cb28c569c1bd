// The store for the components below the app shell, and the one way panels read it: a selector
// with shallow equality, so a panel re-renders only when its own slice changes.

import { createContext, useContext, type ReactNode } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { Store, UseStore } from './store.ts';
import type { EngineClient } from '../engineClient.ts';

const StoreContext = createContext<UseStore | null>(null);
const EngineContext = createContext<EngineClient | null>(null);

export function StoreProvider({ store, engine, children }: { store: UseStore; engine: EngineClient; children: ReactNode }) {
  return <EngineContext.Provider value={engine}><StoreContext.Provider value={store}>{children}</StoreContext.Provider></EngineContext.Provider>;
}

/** The engine client, for panels that ask the worker for more than the cursor's view (memory). */
export function useEngine(): EngineClient {
  const e = useContext(EngineContext);
  if (!e) throw new Error('useEngine: no StoreProvider above this component');
  return e;
}

/** The store itself (for actions that read the latest state with getState()). */
export function useStoreApi(): UseStore {
  const s = useContext(StoreContext);
  if (!s) throw new Error('useStoreApi: no StoreProvider above this component');
  return s;
}

/** One slice of the store; the component re-renders when a field of the slice changes. */
export function useSlice<T extends object>(select: (s: Store) => T): T {
  return useStoreApi()(useShallow(select));
}
