// The program view's file controls: open a sample (read-only) or a /home file, the file's name
// with its unsaved state, Save, and "copy to /home" for a sample.

import { useCallback, useEffect, useState } from 'react';
import type { FileStore } from '../files/vfs.ts';
import { SAMPLES } from '../samples.ts';
import { code as t } from '../messages/index.ts';

/** The file being edited: its path (null: a program not saved anywhere yet) and the text last
 *  read from or written to it. */
export interface OpenFile { path: string | null; saved: string | null }

/** Every file under /home, depth first. */
async function homeFiles(fs: FileStore, dir = '/home'): Promise<string[]> {
  const out: string[] = [];
  for (const e of await fs.list(dir)) {
    const p = `${dir}/${e.name}`;
    if (e.dir) out.push(...await homeFiles(fs, p)); else out.push(p);
  }
  return out;
}

export interface FileBarProps {
  fs: FileStore | null;
  file: OpenFile;
  unsaved: boolean;
  readOnly: boolean;
  /** The name an unsaved program goes by (the store's file). */
  untitled: string;
  onOpen(path: string): void;
  onSave(): void;
  onCopy(): void;
}

export function FileBar({ fs, file, unsaved, readOnly, untitled, onOpen, onSave, onCopy }: FileBarProps) {
  const [home, setHome] = useState<string[]>([]);
  const refresh = useCallback(() => { if (fs) void homeFiles(fs).then(setHome, () => setHome([])); }, [fs]);
  useEffect(refresh, [refresh, file.path, file.saved]);
  return (
    <div className="file-bar">
      <label htmlFor="program-open">{t.openShort}</label>
      <select id="program-open" aria-label={t.open} value={file.path ?? ''} onFocus={refresh} onChange={(e) => { if (e.target.value) onOpen(e.target.value); }}>
        <option value="">{file.path ? '—' : untitled}</option>
        <optgroup label={t.samplesGroup}>
          {SAMPLES.map((s) => <option key={s.name} value={`/samples/${s.name}`}>{s.name}</option>)}
        </optgroup>
        {home.length > 0 && <optgroup label={t.homeGroup}>
          {home.map((p) => <option key={p} value={p}>{p}</option>)}
        </optgroup>}
      </select>
      <span className="file-name" data-testid="file-state">
        {file.path ?? t.untitled(untitled)}{unsaved && file.path && <span className="unsaved" title={t.unsaved}> ● {t.unsaved}</span>}
      </span>
      {readOnly
        ? <button type="button" onClick={onCopy}>{t.copyHome}</button>
        : <button type="button" onClick={onSave} disabled={!fs}>{t.save}</button>}
    </div>
  );
}
