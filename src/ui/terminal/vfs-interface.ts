// The file system the shell works on, as the shell needs it. The file store (src/ui/files)
// implements it. Paths are absolute; /samples is read-only, /home writable; every failure is a
// thrown Error whose message can be shown to the user as it is.

export interface Vfs {
  list(dir: string): Promise<{ name: string; dir: boolean; readonly: boolean }[]>;
  read(path: string): Promise<string>;
  /** With ifVersion: only if the file is still at that version (else a ConflictError). The file
   *  store resolves to the new version. */
  write(path: string, text: string, opts?: { ifVersion?: number }): Promise<unknown>;
  remove(path: string): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  exists(path: string): Promise<boolean>;
  /** Versions, keep-both and drafts (the file store has them; see src/ui/files/vfs.ts). */
  version?(path: string): Promise<number>;
  keepBoth?(path: string, text: string): Promise<string>;
  saveDraft?(path: string, text: string, base: number): void;
  draft?(path: string): { text: string; base: number } | null;
  dropDraft?(path: string): void;
  /** Damaged records set aside (the file store has them; a plain Vfs may not). */
  quarantine?(): Promise<{ key: string; store: string; originalKey: string }[]>;
  restoreQuarantined?(key: string, to?: string): Promise<string>;
  exportQuarantined?(key: string): Promise<string>;
}
