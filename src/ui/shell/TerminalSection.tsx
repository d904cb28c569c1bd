// The docked terminal and the student's files: one file store (IndexedDB, /samples read-only,
// /home persistent) shared by the shell, the editor and share links. The terminal starts when
// its section is first opened.

import { lazy, Suspense, useEffect, useState } from 'react';
import type { EngineClient } from '../engineClient.ts';
import type { UseStore } from '../state/store.ts';
import type { FileStore } from '../files/vfs.ts';
import { pageFileStore } from '../files/pageStore.ts';
// xterm.js and the editor load only when the terminal is first opened (not on the first screen).
const TerminalPanel = lazy(() => import('../terminal/TerminalPanel.tsx').then((m) => ({ default: m.TerminalPanel })));
import { copySharedToHome } from '../share/copy.ts';
import { files } from '../messages/index.ts';
import { messages } from '../messages/index.ts';
import { sayEditorDiagnostics } from '../messages/asmText.ts';

export function TerminalSection({ engine, useStore }: { engine: EngineClient; useStore: UseStore }) {
  const [fs, setFs] = useState<FileStore | null>(null);
  const [notices, setNotices] = useState<string[]>([]);
  const [open, setOpen] = useState(false);

  useEffect(() => {
    let live = true;
    void pageFileStore((n) => { if (live) setNotices((x) => [...x, n]); }).then((v) => { if (live) setFs(v); });
    return () => { live = false; };
  }, []);

  // The share banner (share/ShareBar.tsx) copies a shared program into /home through this.
  useEffect(() => {
    if (!fs) return;
    const copyHome = async (source: string) => {
      const path = await copySharedToHome(fs, source); // never over an existing file
      useStore.getState().setSource(source);
      setNotices((x) => [...x, files.share.copied(path)]);
      return path;
    };
    useStore.setState({ saveToHome: copyHome });
    return () => useStore.setState({ saveToHome: null });
  }, [fs, useStore]);

  return (
    <>
      {notices.map((n, i) => <p key={i} className="notice" role="status">{n}</p>)}
      <details className="panel terminal-section" open={open} onToggle={(e) => setOpen((e.currentTarget as HTMLDetailsElement).open)}>
        <summary><h2>{messages.terminalHeading}</h2></summary>
        {open && fs && (
          <Suspense fallback={<p className="muted">{messages.loading}</p>}>
            <TerminalPanel host={{ fs, engine, store: () => useStore.getState() }} check={async (src, path) => {
              // The errors said in the page's language (the file's own lines; its .include files
              // come from the store, loaded with the terminal's chunk).
              if (!path) return sayEditorDiagnostics(await engine.check(src), 'program.s');
              const { includeFiles, basename } = await import('../terminal/shellKit.ts');
              return sayEditorDiagnostics(await engine.check(src, basename(path), await includeFiles(fs, path, src)), basename(path));
            }} />
          </Suspense>
        )}
      </details>
    </>
  );
}
