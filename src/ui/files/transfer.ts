// Upload and download of files: .s sources in and out, and a run's trace out as JSON lines.

import { files as msg } from '../messages/index.ts';

/** The largest file readUpload accepts. */
export const MAX_UPLOAD_BYTES = 1024 * 1024;

/** Saves text as a file named `name` through the browser's download (a Blob, an object URL and a
 *  click on a temporary anchor). */
export function downloadText(name: string, text: string, mime = 'text/plain;charset=utf-8'): void {
  const url = URL.createObjectURL(new Blob([text], { type: mime }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.rel = 'noopener';
  a.style.display = 'none';
  document.body.appendChild(a);
  try {
    a.click();
  } finally {
    a.remove();
    // Revoke after the click has been handled (some browsers start the download asynchronously).
    setTimeout(() => URL.revokeObjectURL(url), 0);
  }
}

/** Records as JSON lines (one JSON value per line, newline-terminated); bigints as decimal strings. */
export function toJsonLines(records: Iterable<unknown>): string {
  let out = '';
  for (const r of records) out += JSON.stringify(r, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)) + '\n';
  return out;
}

/** Downloads a run's trace (its events) as JSON lines, e.g. `downloadTrace('hello.trace.jsonl', events)`. */
export function downloadTrace(name: string, events: Iterable<unknown>): void {
  downloadText(name, toJsonLines(events), 'application/x-ndjson;charset=utf-8');
}

/** Reads an uploaded .s file as text. Rejects, with a message to show as it is, anything that is
 *  not a .s file, larger than 1 MiB, not UTF-8 or binary (NUL bytes). A leading BOM is dropped and
 *  CRLF line ends become LF. */
export async function readUpload(file: File): Promise<string> {
  const name = file.name || '(unnamed)';
  if (!/\.s$/i.test(name)) throw new Error(msg.transfer.onlyS(name));
  if (file.size > MAX_UPLOAD_BYTES) throw new Error(msg.transfer.tooBig(name, MAX_UPLOAD_BYTES));
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await file.arrayBuffer());
  } catch (e) {
    throw new Error(msg.transfer.readFailed(name, e instanceof Error ? e.message : String(e)));
  }
  if (bytes.length > MAX_UPLOAD_BYTES) throw new Error(msg.transfer.tooBig(name, MAX_UPLOAD_BYTES));
  if (bytes.includes(0)) throw new Error(msg.transfer.binary(name));
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new Error(msg.transfer.notText(name));
  }
  return text.replace(/\r\n?/g, '\n');
}

/** A safe /home file name for an upload: its base name, without path separators or control
 *  characters (e.g. 'C:\\x\\my prog.s' -> 'my prog.s'). */
export function uploadName(name: string): string {
  // eslint-disable-next-line no-control-regex
  const base = name.split(/[\\/]/).pop()!.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  return base === '' || base === '.' || base === '..' ? 'upload.s' : base;
}

/** Opens the browser's file picker for one .s file and reads it (readUpload's checks); null when
 *  the student cancels. */
export function pickUpload(): Promise<{ name: string; text: string } | null> {
  return new Promise((resolve, reject) => {
    const input = document.createElement('input');
    input.type = 'file';
    input.accept = '.s,text/plain';
    input.style.display = 'none';
    document.body.appendChild(input);
    const done = () => input.remove();
    input.addEventListener('cancel', () => { done(); resolve(null); });
    input.addEventListener('change', () => {
      const file = input.files?.[0];
      done();
      if (!file) { resolve(null); return; }
      readUpload(file).then((text) => resolve({ name: uploadName(file.name), text }), reject);
    });
    input.click();
  });
}
