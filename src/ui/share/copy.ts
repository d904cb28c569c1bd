// "Copy to /home" for a program that came with a share link: it goes to /home/shared.s, or, when
// that name is taken, to the first free shared-1.s, shared-2.s, ... (as upload does): an existing
// file is never overwritten.

import type { FileStore } from '../files/vfs.ts';

export const SHARED_NAME = '/home/shared.s';

/** Save source under a free name; returns the path it went to. */
export async function copySharedToHome(fs: Pick<FileStore, 'freePath' | 'write'>, source: string): Promise<string> {
  const path = await fs.freePath(SHARED_NAME);
  await fs.write(path, source, { ifVersion: 0 }); // create only: a file that appeared meanwhile stays
  return path;
}
