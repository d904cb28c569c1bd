import 'fake-indexeddb/auto';
import { describe, expect, it, vi } from 'vitest';
import { openEditor, renderFrame, type EditorTerminal } from '../../../src/ui/editor/Editor.tsx';
import { createModel } from '../../../src/ui/editor/editorModel.ts';
import { createVfs } from '../../../src/ui/files/vfs.ts';

function fakeTerm(cols = 60, rows = 10) {
  let listener: ((d: string) => void) | null = null;
  const out: string[] = [];
  const term: EditorTerminal & { type(d: string): void; out: string[]; listening(): boolean } = {
    cols, rows, out,
    write: (d) => { out.push(d); },
    onData: (l) => { listener = l; return { dispose: () => { listener = null; } }; },
    type: (d) => listener?.(d),
    listening: () => listener !== null,
  };
  return term;
}
const tick = () => new Promise((r) => setTimeout(r, 0));
// eslint-disable-next-line no-control-regex
const plain = (s: string) => s.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');

let n = 0;
const samples = [{ name: 'hello.s', source: 'nop\n' }];

describe('openEditor', () => {
  it('edits a new /home file, saves, shows the check errors, quits', async () => {
    const vfs = await createVfs({ dbName: `ed-${++n}`, samples });
    const term = fakeTerm(100);
    const check = vi.fn(async (src: string) => (src.includes('mvo') ? [{ line: 2, col: 5, message: "unknown mnemonic 'mvo'" }] : []));
    const onExit = vi.fn();
    const ed = await openEditor({ term, path: '/home/hello.s', vfs, check, onExit });
    expect(term.out[0]).toContain('\x1b[?1049h');
    expect(plain(term.out.join(''))).toContain('New file: /home/hello.s');
    term.type('.text\r    mvo rax, 1');
    term.type('\x13');
    await tick(); await tick();
    expect(await vfs.read('/home/hello.s')).toBe('.text\n    mvo rax, 1\n');
    expect(check).toHaveBeenCalledWith('.text\n    mvo rax, 1\n', '/home/hello.s'); // the path: its .include files are read from the store
    const frame = plain(term.out[term.out.length - 1]);
    expect(frame).toContain("1 error; first: line 2:5: unknown mnemonic 'mvo'");
    expect(frame).toMatch(/!\s*2 /); // the marker in the gutter of line 2
    expect(ed.model().errors).toEqual([{ line: 2, col: 5, message: "unknown mnemonic 'mvo'" }]);
    term.type('\x11');
    expect(onExit).toHaveBeenCalledWith({ path: '/home/hello.s', saved: true });
    expect(term.listening()).toBe(false);
    expect(term.out[term.out.length - 1]).toContain('\x1b[?1049l');
  });

  it('asks before quitting with unsaved changes; n leaves the file as it was', async () => {
    const vfs = await createVfs({ dbName: `ed-${++n}`, samples });
    await vfs.write('/home/a.s', 'ret\n');
    const term = fakeTerm();
    const onExit = vi.fn();
    await openEditor({ term, path: '/home/a.s', vfs, check: async () => [], onExit });
    term.type('nop\r\x11');
    expect(plain(term.out[term.out.length - 1])).toContain('Save changes to /home/a.s? (y)es  (n)o  (c)ancel');
    expect(onExit).not.toHaveBeenCalled();
    term.type('n');
    expect(onExit).toHaveBeenCalledWith({ path: '/home/a.s', saved: false });
    expect(await vfs.read('/home/a.s')).toBe('ret\n');
  });

  it('y saves then quits', async () => {
    const vfs = await createVfs({ dbName: `ed-${++n}`, samples });
    await vfs.write('/home/a.s', 'ret\n');
    const term = fakeTerm();
    const onExit = vi.fn();
    await openEditor({ term, path: '/home/a.s', vfs, check: async () => [], onExit });
    term.type('nop\r\x11y');
    await tick(); await tick();
    expect(await vfs.read('/home/a.s')).toBe('nop\nret\n');
    expect(onExit).toHaveBeenCalledWith({ path: '/home/a.s', saved: true });
  });

  it('a sample opens read-only and is saved as a /home copy', async () => {
    const vfs = await createVfs({ dbName: `ed-${++n}`, samples });
    const term = fakeTerm();
    const ed = await openEditor({ term, path: '/samples/hello.s', vfs, check: async () => [], onExit: () => {} });
    expect(plain(term.out.join(''))).toContain('[read-only');
    term.type('x\x13\r');
    await tick(); await tick();
    expect(await vfs.read('/home/hello.s')).toBe('xnop\n');
    expect(await vfs.read('/samples/hello.s')).toBe('nop\n');
    expect(ed.model().path).toBe('/home/hello.s');
  });

  it('refuses a directory or a missing file outside /home before touching the terminal', async () => {
    const vfs = await createVfs({ dbName: `ed-${++n}`, samples });
    const term = fakeTerm();
    await expect(openEditor({ term, path: '/home', vfs, check: async () => [], onExit: () => {} })).rejects.toThrow('is a directory');
    await expect(openEditor({ term, path: '/samples/none.s', vfs, check: async () => [], onExit: () => {} })).rejects.toThrow('no such file');
    expect(term.out).toEqual([]);
  });
});

describe('renderFrame', () => {
  it('draws line numbers, colours and never passes control characters through', () => {
    const m = createModel({ path: '/home/x.s', text: 'mov rax, 1 ; c\n\x1b]0;pwn\x07<script>', width: 40, height: 6 });
    const f = renderFrame(m);
    expect(f).not.toContain('\x1b]0;');
    expect(f).not.toContain('\x07');
    expect(plain(f)).toContain('·]0;pwn·<script>');
    expect(f).toContain('\x1b[0;1;36mmov'); // a mnemonic, coloured
    expect(plain(f)).toMatch(/ 1 mov rax, 1 ; c/);
    expect(plain(f)).toContain('^S Save  ^Q Quit  ^F Find  ^G Go to line');
  });

  it('scrolls horizontally to keep the cursor visible', () => {
    let m = createModel({ path: '/home/x.s', text: 'a'.repeat(100), width: 20, height: 6 });
    m = { ...m, col: 100 };
    const f = renderFrame({ ...m, left: 100 - 17 + 1 });
    expect(f).toMatch(/\x1b\[2;\d+H\x1b\[\?25h$/);
  });
});
