// Shows a program that came with a share link: read-only, as text (React text nodes only, never
// HTML), not run. The student copies it into /home to edit and run it.

import { files as msg } from '../messages/index.ts';

export interface SharedProgramBannerProps {
  source: string;
  seq?: number;
  /** Copy into /home (absent until the file store is ready). */
  onCopyToHome?: (source: string) => void;
  /** Run it in the simulator and go to its point in time. */
  onOpen?: () => void;
  onDismiss?: () => void;
}

export function SharedProgramBanner({ source, seq, onCopyToHome, onOpen, onDismiss }: SharedProgramBannerProps) {
  return (
    <section className="shared-program" role="region" aria-label={msg.share.bannerTitle}>
      <h2>{msg.share.bannerTitle}</h2>
      <p>{msg.share.bannerHelp}</p>
      {/* Events are numbered from 1 on screen ("Event 7 of 33,310"); seq counts from 0. */}
      {seq !== undefined && <p>{msg.share.atPoint(seq)}</p>}
      <pre className="shared-program-source" aria-label={msg.share.sourceLabel} tabIndex={0}>
        <code>{source}</code>
      </pre>
      <div className="shared-program-actions">
        {onOpen && <button type="button" onClick={onOpen}>{seq !== undefined ? msg.share.openAt(seq) : msg.share.open}</button>}
        {onCopyToHome && <button type="button" onClick={() => onCopyToHome(source)}>{msg.share.copy}</button>}
        {onDismiss && <button type="button" onClick={onDismiss}>{msg.share.dismiss}</button>}
      </div>
    </section>
  );
}
