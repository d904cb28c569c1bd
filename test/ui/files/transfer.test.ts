import { afterEach, describe, expect, it, vi } from 'vitest';
import { downloadText, readUpload, toJsonLines, uploadName, MAX_UPLOAD_BYTES } from '../../../src/ui/files/transfer.ts';

afterEach(() => vi.restoreAllMocks());

describe('transfer', () => {
  it('downloadText clicks an anchor with an object URL and the file name', async () => {
    const create = vi.spyOn(URL, 'createObjectURL').mockReturnValue('blob:x');
    const revoke = vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => {});
    let clicked: HTMLAnchorElement | null = null;
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) { clicked = this; });
    downloadText('hello.s', 'mov rax, 1\n');
    expect(create).toHaveBeenCalledOnce();
    const blob = create.mock.calls[0][0] as Blob;
    expect(await blob.text()).toBe('mov rax, 1\n');
    expect(clicked!.download).toBe('hello.s');
    expect(clicked!.getAttribute('href')).toBe('blob:x');
    expect(document.querySelector('a[download]')).toBeNull();
    await new Promise((r) => setTimeout(r, 5));
    expect(revoke).toHaveBeenCalledWith('blob:x');
  });

  it('toJsonLines: one JSON value per line, bigints as strings', () => {
    expect(toJsonLines([{ a: 1 }, { b: 2n }])).toBe('{"a":1}\n{"b":"2"}\n');
  });

  it('readUpload reads .s text, drops CR', async () => {
    expect(await readUpload(new File(['mov rax, 1\r\nret\r\n'], 'p.s'))).toBe('mov rax, 1\nret\n');
    expect(await readUpload(new File(['; é ✓\n'], 'U.S'))).toBe('; é ✓\n');
  });

  it('readUpload rejects other files with clear errors', async () => {
    await expect(readUpload(new File(['x'], 'p.txt'))).rejects.toThrow('p.txt: only .s files');
    await expect(readUpload(new File([new Uint8Array(MAX_UPLOAD_BYTES + 1).fill(65)], 'big.s'))).rejects.toThrow('big.s: too large (the limit is 1 MiB)');
    await expect(readUpload(new File([new Uint8Array([0x6d, 0, 1])], 'bin.s'))).rejects.toThrow('binary');
    await expect(readUpload(new File([new Uint8Array([0xff, 0xfe, 0x41])], 'latin.s'))).rejects.toThrow('not UTF-8 text');
  });

  it('uploadName keeps a safe base name', () => {
    expect(uploadName('C:\\x\\my prog.s')).toBe('my prog.s');
    expect(uploadName('../../a.s')).toBe('a.s');
    expect(uploadName('..')).toBe('upload.s');
  });
});
