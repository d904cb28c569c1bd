// Guest assembler: the paths of `.include "FILE"` (relative to the including file), kept apart
// from the preprocessor so the page can find a sample's include files without the assembler.

/** Joins an include path to the including file's directory ('a/b.s' + 'c.s' = 'a/c.s'); an
 *  absolute path stays as it is. `.` and `..` segments are folded. */
export function resolvePath(from: string, path: string): string {
  const abs = path.startsWith('/') || from.startsWith('/');
  const parts = [...(path.startsWith('/') ? [] : from.split('/').slice(0, -1)), ...path.split('/')];
  const out: string[] = [];
  for (const part of parts) {
    if (part === '' || part === '.') continue;
    if (part === '..' && out.length && out[out.length - 1] !== '..') out.pop();
    else if (part === '..' && abs) continue; // nothing above the root
    else out.push(part);
  }
  return (abs ? '/' : '') + out.join('/');
}

/** The file names a source's `.include` lines name, in order (labels before them allowed). */
export function includeNames(source: string): string[] {
  return [...source.matchAll(/^[ \t]*(?:[A-Za-z_.][\w.$@]*:[ \t]*)*\.include[ \t]+"([^"\n]*)"/gim)].map((m) => m[1]);
}
