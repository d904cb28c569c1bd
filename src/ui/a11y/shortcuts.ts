// WCAG 2.1.4 Character Key Shortcuts: the page's single-key shortcuts (x, s, n, Space, +, ...) can
// be turned off, a remembered view setting. When off, only keys that are not characters act
// (arrows, Home, End, PageUp/PageDown, Escape, F9, Ctrl+Enter): speech input and a stray key
// press no longer step the player. Shortcuts never act while a text field, a list, the terminal
// or the editor has the focus (App.tsx), whichever way this is set.

import { useSyncExternalStore } from 'react';

const KEY = 'dune-lab.singleKeys';

function read(): boolean {
  try { return globalThis.localStorage?.getItem(KEY) !== 'off'; } catch { return true; }
}

let on = read();
const listeners = new Set<() => void>();

export const singleKeysOn = (): boolean => on;

export function setSingleKeys(v: boolean): void {
  on = v;
  try { globalThis.localStorage?.setItem(KEY, v ? 'on' : 'off'); } catch { /* private mode: not remembered */ }
  for (const l of listeners) l();
}

/** Reads the remembered setting again (a test, or another tab changed it). */
export function reloadSingleKeys(): void { on = read(); for (const l of listeners) l(); }

const subscribe = (l: () => void) => { listeners.add(l); return () => { listeners.delete(l); }; };
export const useSingleKeys = (): boolean => useSyncExternalStore(subscribe, singleKeysOn, singleKeysOn);

/** A character-key shortcut in 2.1.4's sense: one printable character (letter, digit, symbol,
 *  Space), with or without Shift, and no Ctrl, Alt or Meta. */
export function isCharacterKey(e: { key: string; ctrlKey?: boolean; altKey?: boolean; metaKey?: boolean }): boolean {
  return [...e.key].length === 1 && !e.ctrlKey && !e.altKey && !e.metaKey;
}

/** An action key name as ACTIONS lists them ("x", "Shift+X", " ", "ArrowLeft", "Ctrl+Enter"). */
export function isCharacterKeyName(name: string): boolean {
  const k = name.startsWith('Shift+') ? name.slice('Shift+'.length) : name;
  return [...k].length === 1;
}

/** Whether a key press may act as a shortcut under the current setting. */
export const keyAllowed = (e: { key: string; ctrlKey?: boolean; altKey?: boolean; metaKey?: boolean }): boolean =>
  on || !isCharacterKey(e);

/** The keys of an action that act under the current setting. */
export const activeKeys = (keys: readonly string[], singleKeys: boolean): string[] =>
  singleKeys ? [...keys] : keys.filter((k) => !isCharacterKeyName(k));
