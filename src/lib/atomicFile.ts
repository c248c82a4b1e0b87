// Files the tool writes (printouts, CSV, backups) appear whole or not at all: written to a
// temporary name beside the target, flushed to disk, then renamed over it. A full disk, a kill or
// a crash leaves the previous file as it was. A symlink to a regular file is never written
// through (it could point at anyone's file, which we would overwrite and chmod 0600): refused.
import fs from 'node:fs';
import path from 'node:path';

/** Why a target was not written; `code` is an errno code or one of ours. */
export class WriteRefused extends Error {
  constructor(
    readonly code: 'symlink' | 'exists' | string,
    readonly target: string,
    message: string,
  ) {
    super(message);
  }
}

/** What sits at `target`: nothing, a regular file, a symlink to a regular file, or something special. */
export function targetKind(target: string): 'none' | 'file' | 'symlink' | 'special' | 'dir' {
  let st: fs.Stats;
  try {
    st = fs.lstatSync(target);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 'none';
    throw e;
  }
  if (st.isSymbolicLink()) {
    let real: fs.Stats;
    try {
      real = fs.statSync(target);
    } catch {
      return 'symlink'; // dangling: writing would create a file wherever it points
    }
    // /dev/stdout and the like are links to a stream, not to a file: nothing to replace there.
    return real.isFile() || real.isDirectory() ? 'symlink' : 'special';
  }
  if (st.isDirectory()) return 'dir';
  return st.isFile() ? 'file' : 'special';
}

function tempBeside(target: string): string {
  const dir = path.dirname(path.resolve(target));
  removeStaleTemps(dir, path.basename(target));
  return path.join(dir, `.${path.basename(target)}.${process.pid}.${Math.random().toString(36).slice(2, 8)}.tmp`);
}

/**
 * A killed run leaves its temporary file (a backup holds every buyer's data) beside the target;
 * the next write to the same target removes those whose process is gone. A live process's
 * temporary file (another run writing now) is left alone.
 */
function removeStaleTemps(dir: string, base: string): void {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return;
  }
  const prefix = `.${base}.`;
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const m = /^(\d+)\.[0-9a-z]{1,8}\.tmp(-journal|-wal|-shm)?$/.exec(name.slice(prefix.length));
    if (!m || processAlive(Number(m[1]))) continue;
    try {
      fs.unlinkSync(path.join(dir, name));
    } catch {
      /* not ours to remove after all (permissions): leave it */
    }
  }
}

function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Writes all of `data` to `fd`, however many calls it takes; a short write is never the end. */
export function writeAllSync(fd: number, data: Buffer): void {
  let off = 0;
  while (off < data.length) {
    let n: number;
    try {
      n = fs.writeSync(fd, data, off, data.length - off);
    } catch (e) {
      // A non-blocking pipe or socket that is full: wait for the reader instead of losing the rest.
      if ((e as NodeJS.ErrnoException).code === 'EAGAIN') {
        Atomics.wait(SLEEPER, 0, 0, 5);
        continue;
      }
      throw e;
    }
    if (n === 0) throw Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
    off += n;
  }
}
const SLEEPER = new Int32Array(new SharedArrayBuffer(4));

function fsyncDir(dir: string): void {
  let fd: number | null = null;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    /* some file systems cannot fsync a directory; the rename itself is still atomic */
  } finally {
    if (fd !== null) fs.closeSync(fd);
  }
}

function refuseLinks(target: string, kind: ReturnType<typeof targetKind>): void {
  if (kind === 'symlink') throw new WriteRefused('symlink', target, 'is a symbolic link');
  if (kind === 'dir') throw new WriteRefused('EISDIR', target, 'is a directory');
}

/**
 * Writes `data` to `target` owner-only, atomically. A special target (/dev/stdout, a FIFO) is
 * written directly, every byte checked, never chmod-ed.
 */
export function writeFileAtomic(target: string, data: string | Buffer, opts: { overwrite?: boolean } = {}): void {
  const buf = typeof data === 'string' ? Buffer.from(data) : data;
  const kind = targetKind(target);
  refuseLinks(target, kind);
  if (kind === 'file' && opts.overwrite === false) throw new WriteRefused('exists', target, 'already exists');
  if (kind === 'special') {
    const fd = fs.openSync(target, 'w');
    try {
      writeAllSync(fd, buf);
    } finally {
      fs.closeSync(fd);
    }
    return;
  }
  const tmp = tempBeside(target);
  try {
    const fd = fs.openSync(tmp, 'wx', 0o600);
    try {
      writeAllSync(fd, buf);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, target);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
  fsyncDir(path.dirname(path.resolve(target)));
}

/**
 * For writers that need a path (SQLite's backup): `fill` writes the temporary file, which is then
 * made owner-only, flushed and renamed into place. Killed half way, the target is untouched and
 * only a `.NAME.*.tmp` file is left beside it.
 */
export async function replaceAtomically(target: string, fill: (tmp: string) => Promise<void>, opts: { overwrite?: boolean } = {}): Promise<void> {
  const kind = targetKind(target);
  refuseLinks(target, kind);
  if (kind === 'special') throw new WriteRefused('special', target, 'is not a regular file');
  if (kind === 'file' && opts.overwrite === false) throw new WriteRefused('exists', target, 'already exists');
  const tmp = tempBeside(target);
  try {
    await fill(tmp);
    fs.chmodSync(tmp, 0o600);
    const fd = fs.openSync(tmp, 'r+');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    // Without --force a file that appeared meanwhile is still not overwritten: link fails if it exists.
    if (opts.overwrite === false) {
      fs.linkSync(tmp, target);
      fs.rmSync(tmp);
    } else fs.renameSync(tmp, target);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
  fsyncDir(path.dirname(path.resolve(target)));
}
