// The view the URL asks for: `#present` (presentation), `#embed` (a course page's iframe, with
// `panels=walk,tlb` naming the panels), combined with the lesson and share parameters. Parts of
// the page that rewrite the hash (the lesson player's step link) keep these view parameters, and
// entering or leaving presentation writes `present`, so a reload or a copied link keeps the view.

import type { LayoutMode } from '../state/store.ts';
import { PANEL_IDS } from '../panels/registry.tsx';

export interface ViewHash { mode: LayoutMode; panels?: string[]; /** The same link without `embed`, for "open in Dune Lab". */ fullUrl: string }

const partsOf = (hash: string) => hash.replace(/^#/, '').split('&').filter(Boolean);
const isView = (p: string) => p === 'present' || p === 'embed' || p.startsWith('embed=') || p.startsWith('panels=');

export function parseViewHash(hash: string, href = typeof location !== 'undefined' ? location.href : ''): ViewHash {
  const parts = partsOf(hash);
  const has = (k: string) => parts.some((p) => p === k || p.startsWith(k + '='));
  const mode: LayoutMode = has('embed') ? 'embed' : has('present') ? 'present' : 'normal';
  const list = parts.find((p) => p.startsWith('panels='))?.slice('panels='.length);
  const panels = list ? decodeURIComponent(list).split(',').filter((id) => (PANEL_IDS as readonly string[]).includes(id)) : undefined;
  const rest = parts.filter((p) => p !== 'embed' && !p.startsWith('embed=') && !p.startsWith('panels='));
  const fullUrl = href.replace(/#.*$/, '') + (rest.length ? '#' + rest.join('&') : '');
  return { mode, panels: panels && panels.length ? panels : undefined, fullUrl };
}

const join = (parts: string[]) => (parts.length ? '#' + parts.join('&') : '');

/** `hash` (a new link for the page, e.g. '#lesson=x&step=2') with the view parameters of
 *  `current` (present, embed, panels=) kept: a lesson step's link in presentation stays one. */
export function keepView(hash: string, current = typeof location !== 'undefined' ? location.hash : ''): string {
  const own = partsOf(hash).filter((p) => !isView(p));
  return join([...own, ...partsOf(current).filter(isView)]);
}

/** `hash` with `present` added (presentation) or removed (normal); an embed's hash is kept as is. */
export function withMode(hash: string, mode: LayoutMode): string {
  const parts = partsOf(hash);
  if (mode === 'embed' || parts.some((p) => p === 'embed' || p.startsWith('embed='))) return join(parts);
  const rest = parts.filter((p) => p !== 'present');
  return join(mode === 'present' ? [...rest, 'present'] : rest);
}
