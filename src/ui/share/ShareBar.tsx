// Sharing a moment: the "Copy share link" button (program, knobs, lesson step, point in time) and,
// when the page was opened from such a link, the read-only banner at the top of the page.

import { useEffect, useState } from 'react';
import { useStoreApi, useSlice } from '../state/context.tsx';
import { SharedProgramBanner } from './SharedProgramBanner.tsx';
import { decodeShare, shareUrl, type SharedProgram } from './link.ts';
import { momentOf, openMoment } from './moment.ts';
import { messages } from '../messages/index.ts';

/** The button that copies a link to the moment on screen (and shows it, for copying by hand). */
export function ShareButton() {
  const useStore = useStoreApi();
  const [link, setLink] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  const make = async () => {
    const url = await shareUrl(location.href.split('#')[0], momentOf(useStore));
    setLink(url);
    try { await navigator.clipboard?.writeText(url); setCopied(true); } catch { setCopied(false); }
  };
  return (
    <span className="share">
      <button type="button" className="single" onClick={() => void make()}>{messages.shareLink}</button>
      {link && <input className="share-url" readOnly value={link} aria-label={messages.shareLink} onFocus={(e) => e.currentTarget.select()} />}
      {link && <span className="muted" role="status">{copied ? messages.shareCopied : messages.shareSelect}</span>}
    </span>
  );
}

/** The page was opened from a share link: show its program read-only, open the moment on request
 *  (in an embed, at once: the course page asked for it), or copy it into /home. */
export function ShareBanner({ auto }: { auto: boolean }) {
  const useStore = useStoreApi();
  const { saveToHome } = useSlice((s) => ({ saveToHome: s.saveToHome }));
  const [shared, setShared] = useState<SharedProgram | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (typeof location === 'undefined' || !location.hash.includes('share=')) return;
    let live = true;
    void decodeShare(location.hash).then((d) => {
      if (!live) return;
      if (!d.ok) { setError(d.error); return; }
      const { ok: _ok, ...m } = d;
      if (auto) void openMoment(useStore, m); else setShared(m);
    });
    return () => { live = false; };
  }, [auto, useStore]);
  if (error) return <p className="notice" role="status">{error}</p>;
  if (!shared) return null;
  const open = async () => { setShared(null); await openMoment(useStore, shared); };
  const copy = async () => {
    if (!saveToHome) return;
    await saveToHome(shared.source);
    setShared(null);
    await openMoment(useStore, shared);
  };
  return <SharedProgramBanner source={shared.source} seq={shared.seq} onOpen={() => void open()}
    onCopyToHome={saveToHome ? () => void copy() : undefined} onDismiss={() => setShared(null)} />;
}
