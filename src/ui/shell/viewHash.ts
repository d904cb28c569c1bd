// The view the URL asks for: `#present` (presentation), `#embed` (a course page's iframe, with
// `panels=walk,tlb` naming the panels), combined with the lesson and share parameters.

import type { LayoutMode } from '../state/store.ts';
import { PANEL_IDS } from '../panels/registry.tsx';

export interface ViewHash { mode: LayoutMode; panels?: string[]; /** The same link without `embed`, for "open in Dune Lab". */ fullUrl: string }

export function parseViewHash(hash: string, href = typeof location !== 'undefined' ? location.href : ''): ViewHash {
  const parts = hash.replace(/^#/, '').split('&').filter(Boolean);
  const has = (k: string) => parts.some((p) => p === k || p.startsWith(k + '='));
  const mode: LayoutMode = has('embed') ? 'embed' : has('present') ? 'present' : 'normal';
  const list = parts.find((p) => p.startsWith('panels='))?.slice('panels='.length);
  const panels = list ? decodeURIComponent(list).split(',').filter((id) => (PANEL_IDS as readonly string[]).includes(id)) : undefined;
  const rest = parts.filter((p) => p !== 'embed' && !p.startsWith('embed=') && !p.startsWith('panels='));
  const fullUrl = href.replace(/#.*$/, '') + (rest.length ? '#' + rest.join('&') : '');
  return { mode, panels: panels && panels.length ? panels : undefined, fullUrl };
}
