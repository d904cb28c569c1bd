// The shell's file commands: ls, cat, cp, mv, rm, edit, samples, and the transfers between the
// virtual file system and the student's computer (upload, download, a run's trace).

import { messages } from '../messages/index.ts';
import { traceLine } from '../../engine/trace/events.ts';
import { HOME, UsageError, arity, basename, isDir, lines, loaded, readFile, resolvePath, target, type Command, type Name } from './shellKit.ts';

const t = messages.terminal;
/** The most events `download --trace` writes (about 200 bytes each as JSON). */
export const TRACE_DOWNLOAD_MAX = 200_000;
export const TRACE_CHUNK = 2000;

export const FILE_COMMANDS = {
  ls: {
    args: 'dir',
    async run(c) {
      arity(c, 0, 1, 'DIR');
      const dir = resolvePath(c.args[0] ?? HOME);
      const list = await c.host.fs.list(dir);
      c.out(lines(list.map((e) => e.name + (e.dir ? '/' : e.readonly ? '  (ro)' : ''))));
    },
  },
  cat: {
    args: 'file',
    async run(c) {
      arity(c, 1, 1, 'FILE');
      const text = await readFile(c.host.fs, resolvePath(c.args[0]));
      c.out(text.endsWith('\n') || text === '' ? text : text + '\n');
    },
  },
  cp: {
    args: 'file',
    async run(c) {
      arity(c, 2, 2, 'FROM and TO');
      const from = resolvePath(c.args[0]);
      const text = await readFile(c.host.fs, from);
      await c.host.fs.write(await target(c.host.fs, from, resolvePath(c.args[1])), text);
    },
  },
  mv: {
    args: 'file',
    async run(c) {
      arity(c, 2, 2, 'FROM and TO');
      const from = resolvePath(c.args[0]);
      if (!(await c.host.fs.exists(from))) throw new Error(t.noFile(from));
      await c.host.fs.rename(from, await target(c.host.fs, from, resolvePath(c.args[1])));
    },
  },
  rm: {
    args: 'file',
    async run(c) {
      arity(c, 1, 1, 'FILE');
      const p = resolvePath(c.args[0]);
      if (await isDir(c.host.fs, p)) throw new Error(t.isDir(p));
      await c.host.fs.remove(p);
    },
  },
  edit: {
    args: 'file',
    async run(c) {
      arity(c, 1, 1, 'FILE');
      if (!c.host.edit) throw new Error(t.noEditor);
      await c.host.edit(resolvePath(c.args[0])); // the editor owns the terminal until it quits
    },
  },
  samples: {
    async run(c) {
      arity(c, 0, 0, '');
      const out: string[] = [t.samplesHead];
      const walk = async (dir: string) => {
        for (const e of await c.host.fs.list(dir)) {
          if (e.dir) await walk(`${dir}/${e.name}`); else out.push(`  ${dir}/${e.name}`);
        }
      };
      await walk('/samples');
      c.out(lines(out));
    },
  },
  download: {
    args: 'file',
    async run(c) {
      arity(c, 1, 1, 'FILE | --trace');
      if (!c.host.download) throw new Error(t.noTransfer);
      if (c.args[0] === '--trace') {
        const s = loaded(c);
        const total = Math.min(s.loaded!.total, TRACE_DOWNLOAD_MAX);
        let text = '';
        for (let from = 0; from < total && !c.signal.aborted; from += TRACE_CHUNK) {
          // The trace's own lines (traceLine: a kernel event's note for the UI is left out).
          text += (await c.host.engine.events(from, Math.min(total, from + TRACE_CHUNK))).map((e) => traceLine(e) + '\n').join('');
        }
        if (c.signal.aborted) return;
        const name = `${s.file.replace(/\.s$/i, '') || 'program'}.trace.jsonl`;
        c.host.download(name, text, 'application/x-ndjson;charset=utf-8');
        c.out(t.downloadedTrace(name, total, s.loaded!.total) + '\n');
        return;
      }
      const p = resolvePath(c.args[0]);
      const text = await readFile(c.host.fs, p);
      c.host.download(basename(p), text, 'text/plain;charset=utf-8');
      c.out(t.downloaded(basename(p)) + '\n');
    },
  },
  upload: {
    async run(c) {
      arity(c, 0, 0, '');
      if (!c.host.upload) throw new Error(t.noTransfer);
      const got = await c.host.upload();
      if (!got) { c.out(t.uploadCancelled + '\n'); return; }
      // Never overwrite: a name already in /home gets -1, -2, ... before its .s.
      const stem = got.name.replace(/\.s$/i, '').replace(/[^\w.-]+/g, '_') || 'upload';
      const names = new Set((await c.host.fs.list(HOME)).map((e) => e.name));
      let name = `${stem}.s`;
      for (let i = 1; names.has(name); i++) name = `${stem}-${i}.s`;
      await c.host.fs.write(`${HOME}/${name}`, got.text);
      c.out(t.uploaded(`${HOME}/${name}`, got.text.split('\n').length) + '\n');
      await c.shell.refresh();
    },
  },
  quarantine: {
    async run(c) {
      const fs = c.host.fs;
      if (!fs.quarantine || !fs.restoreQuarantined || !fs.exportQuarantined) throw new Error(t.noQuarantine);
      const [sub, key, file] = c.args;
      if (sub === undefined) {
        const q = await fs.quarantine();
        c.out(q.length ? lines([t.quarantineHeader, ...q.map((e) => `  ${e.key}  (${e.store} ${e.originalKey})`)]) : t.quarantineEmpty + '\n');
      } else if (sub === 'restore') {
        arity(c, 2, 3, 'KEY');
        const to = await fs.restoreQuarantined(key, file === undefined ? undefined : resolvePath(file));
        c.out(t.quarantineRestored(key, to) + '\n');
        await c.shell.refresh();
      } else if (sub === 'export') {
        arity(c, 2, 2, 'KEY');
        if (!c.host.download) throw new Error(t.noTransfer);
        const name = `quarantine-${key.replace(/[^\w.-]+/g, '_')}.json`;
        c.host.download(name, await fs.exportQuarantined(key), 'application/json;charset=utf-8');
        c.out(t.downloaded(name) + '\n');
      } else throw new UsageError(t.extra(sub));
    },
  },
} satisfies Partial<Record<Name, Command>>;
