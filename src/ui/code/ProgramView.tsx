// The one program view: the code editor the student writes in and, once the program is recorded,
// the source at the cursor (current line, the step's event lines, breakpoints). Files come from
// the page's file store: /home read-write, /samples read-only with "copy to /home".

import { useEffect, useRef, useState } from 'react';
import type { EngineClient } from '../engineClient.ts';
import type { UseStore } from '../state/store.ts';
import type { FileStore } from '../files/vfs.ts';
import { pageFileStore } from '../files/pageStore.ts';
import { SAMPLES, sampleIncludes } from '../samples.ts';
import { messages } from '../messages/index.ts';
import { code as t } from '../messages/index.ts';
import { createEditor, type ProgramEditor } from './createEditor.ts';
import { diagnosticText } from './diagnostics.ts';
import { useStepMarks } from './useStepMarks.ts';
import { FileBar, type OpenFile } from './FileBar.tsx';
import { MarksList, markedLines } from './MarksList.tsx';
import './code.css';

export interface ProgramViewProps { useStore: UseStore; engine: EngineClient }

const basename = (p: string) => p.slice(p.lastIndexOf('/') + 1);

/** The store's program as a file: the sample it names when its text is that sample's (a lesson,
 *  the terminal's `run`, a link), else a program not saved anywhere yet. */
function fileOf(name: string, source: string): OpenFile {
  const s = SAMPLES.find((x) => x.name === name && x.source === source);
  return s ? { path: `/samples/${s.name}`, saved: s.source } : { path: null, saved: null };
}

/** What the recording discards: the store goes back to "nothing recorded" (the text stays). */
function discardRecording(useStore: UseStore) {
  useStore.getState().pause();
  useStore.setState({ loaded: null, view: null, previous: null, event: null, cursor: -1, output: null, lastExit: null, lastWalk: null, transition: null, walkStep: 0 });
}

export function ProgramView({ useStore, engine }: ProgramViewProps) {
  const host = useRef<HTMLDivElement>(null);
  const ed = useRef<ProgramEditor | null>(null);
  const [fs, setFs] = useState<FileStore | null>(null);
  const [file, setFile] = useState<OpenFile>(() => fileOf(useStore.getState().file, useStore.getState().source));
  const [text, setText] = useState(() => useStore.getState().source);
  const [status, setStatus] = useState('');
  /** The "save in /home as" form's name, while it is open. */
  const [saveAs, setSaveAs] = useState<string | null>(null);
  const [check, setCheck] = useState<string>('');
  /** A change that waits for "discard the recording?" (an edit, or opening another file). */
  const [asking, setAsking] = useState<null | { then(): void; cancel(): void }>(null);
  const loaded = useStore((s) => s.loaded);
  const source = useStore((s) => s.source);
  const theme = useStore((s) => s.theme);
  const locale = useStore((s) => s.locale);
  const breakpoints = useStore((s) => s.breakpoints);
  const marks = useStepMarks(useStore);
  const fileName = () => (file.path ? basename(file.path) : useStore.getState().file);
  const latest = useRef({ fileName, save: () => {}, file });

  useEffect(() => { void pageFileStore().then(setFs); }, []);

  // One editor for the view's lifetime; the hooks read the latest state through refs.
  useEffect(() => {
    const e = createEditor(host.current!, useStore.getState().source, false, {
      fileName: () => latest.current.fileName(),
      check: (src) => engine.check(src, latest.current.fileName(), useStore.getState().files),
      // The first error in words, as `check` prints it, beside the count (the rest: F8, Ctrl+Shift+M).
      onResult: (r) => setCheck('failed' in r ? t.checkFailed(r.failed) : r.errors.length
        ? `${t.problems(r.errors.length)}: ${diagnosticText(r.errors[0], latest.current.fileName()).replace(/\n\s*/g, ' ')}` : t.clean),
      onChange: (src) => { setText(src); useStore.getState().setSource(src); },
      toggleBreakpoint: (line) => useStore.getState().toggleBreakpoint(line),
      moveBreakpoints: (lines) => useStore.setState({ breakpoints: new Set(lines) }),
      save: () => latest.current.save(),
      run: () => void useStore.getState().load(),
      mustConfirmEdit: () => useStore.getState().loaded !== null,
      onEditBlocked: () => setAsking((a) => a ?? {
        then: () => { discardRecording(useStore); ed.current?.confirmEdit(true); },
        cancel: () => ed.current?.confirmEdit(false),
      }),
    });
    ed.current = e;
    return () => { e.destroy(); ed.current = null; };
  }, [useStore, engine]);

  // The program replaced from elsewhere (a lesson, the terminal's `run`, a share link): show it,
  // as an edit that Ctrl+Z undoes, so unsaved text is never lost.
  useEffect(() => {
    const e = ed.current;
    if (e && e.view.state.doc.toString() !== source) {
      const had = e.view.state.doc.toString();
      e.replaceDoc(source);
      setText(source);
      if (had.trim() && had !== latest.current.file.saved) setStatus(t.replaced);
      const name = useStore.getState().file, f = fileOf(name, source);
      setFile(f);
      // The terminal's `run /home/x.s` names a /home file: say so when its text is that file's.
      if (!f.path && fs) void fs.read(`/home/${name}`).then((body) => { if (body === source) setFile({ path: `/home/${name}`, saved: body }); }, () => {});
    }
  }, [source]);
  useEffect(() => { ed.current?.setMarks(marks); }, [marks]);
  useEffect(() => { ed.current?.setBreakpoints(breakpoints); }, [breakpoints]);
  useEffect(() => { ed.current?.setDark(theme === 'dark'); }, [theme]);
  // The diagnostics (and the status line's first one) in the new language.
  const firstLocale = useRef(locale);
  useEffect(() => { if (locale !== firstLocale.current) { firstLocale.current = locale; ed.current?.relint(); } }, [locale]);

  /** Opens PATH (asking first if that discards a recording). */
  const open = (path: string) => {
    const go = async () => {
      try {
        const body = fs ? await fs.read(path) : SAMPLES.find((x) => `/samples/${x.name}` === path)?.source;
        if (body === undefined) throw new Error(messages.files.vfs.noSuchFile(path));
        ed.current?.setDoc(body, path.startsWith('/samples/'));
        // A sample's `.include`s travel with it (the worker has no file store).
        useStore.setState({ source: body, file: basename(path), files: path.startsWith('/samples/') ? sampleIncludes(path.slice('/samples/'.length)) : {} });
        setText(body);
        setFile({ path, saved: body });
        setStatus(path.startsWith('/samples/') ? t.readOnly(path) : '');
      } catch (err) { setStatus(t.fileError(err instanceof Error ? err.message : String(err))); }
    };
    if (useStore.getState().loaded) setAsking({ then: () => { discardRecording(useStore); void go(); }, cancel: () => {} });
    else void go();
  };

  /** Writes the text to PATH in /home; never over another file unless it is the one open. */
  const writeTo = async (path: string, what: 'save' | 'copy') => {
    if (!fs) return;
    try {
      if (path !== file.path && await fs.exists(path)) { setStatus(t.exists(path)); return false; }
      // Changed elsewhere (the terminal's editor, another tab) since it was opened: never overwrite.
      if (path === file.path && await fs.exists(path) && await fs.read(path) !== file.saved) {
        setStatus(t.changedElsewhere(path));
        setSaveAs(basename(path).replace(/(\.s)?$/, '-2$1'));
        return false;
      }
      const body = ed.current?.view.state.doc.toString() ?? text;
      await fs.write(path, body);
      if (what === 'copy') ed.current?.setDoc(body, false);
      useStore.setState({ file: basename(path) });
      setFile({ path, saved: body });
      setStatus(what === 'copy' ? t.copied(path) : t.saved(path));
      return true;
    } catch (err) { setStatus(t.fileError(err instanceof Error ? err.message : String(err))); return false; }
  };
  const save = () => {
    if (file.path?.startsWith('/home/')) void writeTo(file.path, 'save');
    else setSaveAs(file.path ? basename(file.path) : useStore.getState().file);
  };
  latest.current = { fileName, save, file };
  const readOnly = file.path?.startsWith('/samples/') ?? false;
  // A sample replaced in from elsewhere stays editable (Ctrl+Z gives back the text before it):
  // edits to it are unsaved until copied to /home.
  const unsaved = text !== file.saved;

  return (
    <>
      <FileBar fs={fs} file={file} unsaved={unsaved} readOnly={readOnly} untitled={useStore.getState().file}
        onOpen={open} onSave={save} onCopy={() => setSaveAs(basename(file.path ?? 'program.s'))} />
      {saveAs !== null && (
        <form className="save-as" onSubmit={(e) => { e.preventDefault(); void writeTo(`/home/${saveAs.replace(/^\/+/, '')}`, readOnly ? 'copy' : 'save').then((ok) => { if (ok) setSaveAs(null); }); }}>
          <label>{t.saveAsPrompt} /home/ <input autoFocus value={saveAs} onChange={(e) => setSaveAs(e.target.value)}
            onKeyDown={(e) => { if (e.key === 'Escape') setSaveAs(null); e.stopPropagation(); }} /></label>
          <button type="submit">{readOnly ? t.copyHome : t.saveAs}</button>
        </form>
      )}
      {asking && (
        <div className="discard-ask" role="alertdialog" aria-label={t.discardTitle}>
          <p>{t.discardTitle}</p>
          <button type="button" autoFocus onClick={() => { asking.then(); setAsking(null); }}>{t.discardYes}</button>
          <button type="button" onClick={() => { asking.cancel(); setAsking(null); }}>{t.discardNo}</button>
        </div>
      )}
      <div ref={host} className="code-host" data-testid="program-editor" data-recorded={loaded ? 'yes' : 'no'} />
      <div className="code-status">
        <p role="status">
          {loaded && <span data-testid="step-line">{marks.current !== null ? t.currentLine(marks.current) : t.outside}
            {marks.events.length > 0 && `; ${t.stepRan(marks.events)}`} · </span>}
          <span data-testid="check-status">{check}</span>{status && <span> · {status}</span>}
        </p>
        <button type="button" className="secondary" onClick={() => { const v = ed.current?.view; if (v) useStore.getState().toggleBreakpoint(v.state.doc.lineAt(v.state.selection.main.head).number); }}>{t.toggleBreakpoint}</button>
      </div>
      {(loaded || breakpoints.size > 0) && <MarksList items={markedLines(marks, breakpoints, text)} onGo={(line) => ed.current?.goToLine(line)}
        onRemoveBreakpoint={(line) => useStore.getState().toggleBreakpoint(line)} />}
      <details className="code-keys"><summary>{t.keysTitle}</summary><p id="program-editor-keys">{t.keys}</p></details>
    </>
  );
}

