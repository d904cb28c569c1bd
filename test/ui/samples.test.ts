import { describe, it, expect } from 'vitest';
import { SAMPLES, SAMPLE_FILES, sampleIncludes } from '../../src/ui/samples.ts';
import { assembleSource } from '../../src/engine/session.ts';
import { filesReader } from '../../src/engine/asm/index.ts';

describe('bundled samples and their include files', () => {
  it('/samples holds the *.inc files; the sample menu only programs', () => {
    expect(SAMPLE_FILES.some((s) => s.name === 'bench/timing.inc')).toBe(true);
    expect(SAMPLES.every((s) => s.name.endsWith('.s'))).toBe(true);
  });
  it('a benchmark sample assembles with the files sampleIncludes gives it', () => {
    const files = sampleIncludes('bench/getpid-dune.s');
    expect(Object.keys(files)).toEqual(['timing.inc']);
    const src = SAMPLES.find((s) => s.name === 'bench/getpid-dune.s')!.source;
    expect(assembleSource(src, 'program.s', filesReader(files)).ok).toBe(true);
    expect(assembleSource(src, 'program.s').ok).toBe(false);
  });
});

describe('every bundled program assembles with its include files', () => {
  it.each(SAMPLES.map((s) => s.name))('%s', (name) => {
    const src = SAMPLES.find((s) => s.name === name)!.source;
    const r = assembleSource(src, name.slice(name.lastIndexOf('/') + 1), filesReader(sampleIncludes(name)));
    expect(r.ok ? '' : r.diagnostics).toBe('');
  });
  it('the Table 5 and 6 drivers come from their include files', () => {
    expect(Object.keys(sampleIncludes('wedge/create-sthread.s'))).toEqual(['wedge.inc']);
    expect(Object.keys(sampleIncludes('gc/xml.s'))).toEqual(['driver.inc']);
  });
});
