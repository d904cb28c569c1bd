// The page's one file store: the terminal and the program editor open /home through the same
// FileStore (one IndexedDB connection, one set of notices about damaged or unsaved data).

import { createVfs, type FileStore } from './vfs.ts';

let store: Promise<FileStore> | null = null;
const heard: string[] = [];
const listeners = new Set<(n: string) => void>();

/** The page's file store, opened on first use. onNotice hears every notice, including earlier ones. */
export function pageFileStore(onNotice?: (message: string) => void): Promise<FileStore> {
  if (onNotice) { listeners.add(onNotice); heard.forEach(onNotice); }
  store ??= createVfs({ onNotice: (n) => { heard.push(n); listeners.forEach((l) => l(n)); } });
  return store;
}
