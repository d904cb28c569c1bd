// The docked terminal: xterm.js (with the fit addon) in one DOM node this component owns, the
// line editor turning keys into echo, and the shell running each line. Keys typed while a
// command runs wait their turn; Ctrl-C stops the command at once and drops them.

import { useEffect, useRef, useState } from 'react';
import { Terminal } from '@xterm/xterm';
import { FitAddon } from '@xterm/addon-fit';
import '@xterm/xterm/css/xterm.css';
import { messages } from '../messages/index.ts';
import { Shell, type ShellHost } from './shell.ts';
import { decode, drawLine, edit, emptyLine, type EditInput } from './lineEditor.ts';
import { openEditor, type CheckFn } from '../editor/Editor.tsx';
import { downloadText, pickUpload } from '../files/transfer.ts';

const t = messages.terminal;

/** The shell's host; its `print` is not needed: the panel prints to its own terminal. */
export type TerminalHost = Omit<ShellHost, 'print'> & { print?: ShellHost['print'] };

/** `check`: the assembler's diagnostics for the editor's save (through the engine worker). */
export function TerminalPanel({ host, check }: { host: TerminalHost; check?: CheckFn }) {
  const box = useRef<HTMLDivElement>(null);
  const term = useRef<Terminal | null>(null);
  const [screenReader, setScreenReader] = useState(false);
  // The host is read through a ref so that a new host object does not restart the terminal.
  const hostRef = useRef(host);
  hostRef.current = host;
  const checkRef = useRef(check);
  checkRef.current = check;

  useEffect(() => {
    // The page's one text-size control scales the root font: the terminal's text follows it
    // (0.875 rem, as the page's other monospace text).
    const rootPx = () => parseFloat(getComputedStyle(document.documentElement).fontSize) || 16;
    const xt = new Terminal({ convertEol: true, cursorBlink: true, scrollback: 5000, fontFamily: 'monospace', fontSize: Math.round(rootPx() * 0.875) });
    const fit = new FitAddon();
    xt.loadAddon(fit);
    xt.open(box.current!);
    term.current = xt;
    const refit = () => { try { fit.fit(); } catch { /* not laid out yet (hidden, or no layout in tests) */ } };
    refit();
    const ro = typeof ResizeObserver === 'function' ? new ResizeObserver(refit) : null;
    ro?.observe(box.current!);
    const sizes = typeof MutationObserver === 'function' ? new MutationObserver(() => {
      const px = Math.round(rootPx() * 0.875);
      if (xt.options.fontSize !== px) { xt.options.fontSize = px; refit(); }
    }) : null;
    sizes?.observe(document.documentElement, { attributes: true, attributeFilter: ['style'] });

    const h = hostRef.current;
    // `edit FILE` hands the terminal to the editor until it quits; the shell's input waits.
    // Keys typed before the editor is listening are kept and handed to it: nothing typed is lost.
    let editing = false, editorReady = false, early = '';
    const editFile = async (path: string) => {
      editing = true; editorReady = false; early = '';
      try {
        await new Promise<void>((resolve, reject) => {
          openEditor({ term: xt, path, vfs: hostRef.current.fs, check: checkRef.current ?? (async () => []), onExit: () => resolve() })
            .then(() => { editorReady = true; if (early) { const d = early; early = ''; xt.input(d); } }, reject);
        });
      } finally { editing = false; editorReady = false; }
    };
    const shell = new Shell({
      fs: h.fs, engine: h.engine, store: () => hostRef.current.store(),
      edit: h.edit ?? editFile,
      print: (text) => xt.write(text),
      download: (name, text, mime) => downloadText(name, text, mime),
      upload: pickUpload,
    });
    void shell.refresh();
    let state = emptyLine(shell.history);
    let running: AbortController | null = null;
    const queue: EditInput[] = [];
    const env = { history: shell.history, complete: (l: string, c: number) => shell.complete(l, c) };

    const pump = () => {
      while (!running && queue.length) {
        const r = edit(state, queue.shift()!, env);
        state = r.state;
        xt.write(r.echo);
        if (r.clear) { xt.clear(); xt.write(drawLine(state, t.prompt)); }
        if (r.choices) xt.write('\r\n' + r.choices.join('  ') + '\r\n' + drawLine(state, t.prompt));
        if (r.interrupt) xt.write(t.prompt);
        if (r.submit !== undefined) {
          const ac = new AbortController();
          running = ac;
          void shell.execute(r.submit, ac.signal).then(() => {
            running = null;
            state = emptyLine(shell.history);
            xt.write(t.prompt);
            pump();
          });
        }
      }
    };
    const data = xt.onData((d) => {
      if (editing) { if (!editorReady) early += d; return; } // the editor reads the keys
      const keys = decode(d);
      if (running && keys.includes('Ctrl-C')) { queue.length = 0; running.abort(); return; }
      queue.push(...keys);
      pump();
    });
    // Ctrl-C with a selection copies it (as in desktop terminals); without one it interrupts.
    xt.attachCustomKeyEventHandler((e) => {
      if (e.type === 'keydown' && e.ctrlKey && e.key === 'c' && xt.hasSelection()) {
        void navigator.clipboard?.writeText(xt.getSelection()).catch(() => undefined);
        return false;
      }
      return true;
    });
    xt.write(t.welcome + '\r\n' + t.prompt);
    return () => { data.dispose(); ro?.disconnect(); sizes?.disconnect(); xt.dispose(); term.current = null; };
  }, []);

  useEffect(() => { if (term.current) term.current.options.screenReaderMode = screenReader; }, [screenReader]);

  return (
    <section className="terminal-panel" aria-label={t.title}>
      <label className="terminal-sr">
        <input type="checkbox" checked={screenReader} onChange={(e) => setScreenReader(e.target.checked)} /> {t.screenReader}
      </label>
      <div ref={box} className="terminal-box" data-testid="terminal" />
    </section>
  );
}
