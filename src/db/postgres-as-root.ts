import { execFile, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, type Stats } from 'node:fs';
import { chmod, chown, cp, lstat, mkdir, readdir, readlink, realpath, rename, rm, symlink } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { EmbeddedPostgresError } from './postgres-process.js';

/**
 * O1: PostgreSQL refuses to run as root, so as root Visitpay runs it as the `postgres` system user.
 * That user may be unable to reach the project (cloned into root's home, mode 700): then the binaries
 * run from a root-owned copy, and a new cluster lives beside it, with a symbolic link in the data
 * directory so that Visitpay (and whoever copies the data directory) still finds it there.
 */

export interface SystemUser {
  uid: number;
  gid: number;
}

/** Root-owned, not writable by anyone else: nobody but root can swap the binaries root has run as postgres. */
export const DEFAULT_ROOT_RUNTIME_DIR = '/var/lib/visitpay';

const WAYS_FORWARD = 'run Visitpay as a user other than root, or set DATABASE_URL to a PostgreSQL server';
const run = promisify(execFile);

function refuse(why: string): never {
  throw new EmbeddedPostgresError(`${why}; ${WAYS_FORWARD}`);
}

/** The `postgres` system user, created when missing (as Debian's postgresql package would). */
export async function postgresSystemUser(): Promise<SystemUser> {
  const lookUp = async () => ({
    uid: Number((await run('id', ['-u', 'postgres'])).stdout.trim()),
    gid: Number((await run('id', ['-g', 'postgres'])).stdout.trim()),
  });
  try {
    return await lookUp();
  } catch {
    // no such user yet
  }
  try {
    await run('groupadd', ['--system', 'postgres']).catch(() => undefined);
    await run('useradd', [
      '--system',
      '--gid',
      'postgres',
      '--no-create-home',
      '--home-dir',
      '/nonexistent',
      '--shell',
      '/usr/sbin/nologin',
      'postgres',
    ]);
    return await lookUp();
  } catch (error) {
    const reason = (error as { stderr?: string }).stderr?.trim() || (error as Error).message;
    refuse(
      `PostgreSQL refuses to run as root and Visitpay could not create a postgres user to run it as (${reason.split('\n')[0]})`,
    );
  }
}

/** Whether `user` may run `script` (sh, with `args` as $1…): the kernel decides, ACLs included. */
function succeedsAs(user: SystemUser, script: string, args: string[]): boolean {
  return (
    spawnSync('/bin/sh', ['-c', script, 'sh', ...args], { uid: user.uid, gid: user.gid, cwd: '/', stdio: 'ignore' })
      .status === 0
  );
}

export function canEnter(user: SystemUser, dir: string): boolean {
  return succeedsAs(user, 'cd -- "$1"', [dir]);
}

function canRunBinaries(user: SystemUser, nativeDir: string): boolean {
  return succeedsAs(
    user,
    'test -x "$1/bin/postgres" && test -x "$1/bin/initdb" && test -x "$1/lib" && test -x "$1/share"',
    [nativeDir],
  );
}

/** Every folder from `/` down to `dir` is root's and writable by root only (or sticky, like /tmp, above it). */
async function assertOnlyRootWrites(dir: string): Promise<void> {
  const real = await realpath(dir);
  let current = real;
  for (;;) {
    const stat = await lstat(current);
    const othersWrite = (stat.mode & 0o022) !== 0;
    const stickyAbove = current !== real && (stat.mode & 0o1000) !== 0;
    if (stat.uid !== 0 || (othersWrite && !stickyAbove)) {
      refuse(
        `Visitpay cannot keep PostgreSQL where the postgres user reaches it safely: ${current} is writable by a user other than root`,
      );
    }
    const parent = path.dirname(current);
    if (parent === current) return;
    current = parent;
  }
}

async function makeRootDir(dir: string): Promise<void> {
  try {
    const first = await mkdir(dir, { recursive: true, mode: 0o755 });
    // explicitly: root's umask may be 077, and then the postgres user could not enter
    for (let created = dir; first && created.length >= first.length; created = path.dirname(created))
      await chmod(created, 0o755);
  } catch (error) {
    refuse(
      `the postgres user cannot reach the project's folder and Visitpay cannot create ${dir} to run PostgreSQL from (${(error as NodeJS.ErrnoException).code})`,
    );
  }
  await assertOnlyRootWrites(dir);
}

const NATIVE_PARTS = ['bin', 'lib', 'share'];

/** Paths under `dir`, each with its lstat, in a stable order. */
async function walk(dir: string, prefix = ''): Promise<{ relative: string; stat: Stats }[]> {
  const entries = [];
  for (const name of (await readdir(path.join(dir, prefix))).sort()) {
    const relative = path.join(prefix, name);
    const stat = await lstat(path.join(dir, relative));
    entries.push({ relative, stat });
    if (stat.isDirectory()) entries.push(...(await walk(dir, relative)));
  }
  return entries;
}

/** A copy is complete and untouched: the package's files with their sizes, root's, written by root only. */
async function copyIsIntact(source: string, copy: string): Promise<boolean> {
  for (const part of NATIVE_PARTS) {
    if (!existsSync(path.join(copy, part))) return false;
    const expected = await walk(path.join(source, part));
    const actual = await walk(path.join(copy, part));
    if (expected.length !== actual.length) return false;
    for (let i = 0; i < expected.length; i++) {
      const want = expected[i]!;
      const have = actual[i]!;
      if (want.relative !== have.relative || have.stat.uid !== 0) return false;
      if (have.stat.isSymbolicLink()) {
        // the package's links (libpq.so → libpq.so.5.18) stay inside their folder
        const target = await readlink(path.join(copy, part, have.relative));
        if (!want.stat.isSymbolicLink() || target.includes('/')) return false;
      } else if (
        (have.stat.mode & 0o022) !== 0 ||
        have.stat.isFile() !== want.stat.isFile() ||
        (have.stat.isFile() && have.stat.size !== want.stat.size)
      ) {
        return false;
      }
    }
  }
  return true;
}

async function copyBinaries(source: string, target: string): Promise<void> {
  const staging = `${target}.partial-${randomBytes(4).toString('hex')}`;
  try {
    await mkdir(staging);
    await chmod(staging, 0o755);
    for (const part of NATIVE_PARTS) {
      await cp(path.join(source, part), path.join(staging, part), { recursive: true, verbatimSymlinks: true });
    }
    for (const { relative, stat } of await walk(staging)) {
      if (stat.isSymbolicLink()) continue;
      const file = path.join(staging, relative);
      await chown(file, 0, 0);
      await chmod(file, stat.isDirectory() || (stat.mode & 0o111) !== 0 ? 0o755 : 0o644);
    }
    // whole or not at all: a copy cut short never has the final name
    await rename(staging, target).catch(async (error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOTEMPTY' && error.code !== 'EEXIST') throw error;
      // another Visitpay process finished its copy first; a damaged one is replaced
      if (await copyIsIntact(source, target)) return;
      await rm(target, { recursive: true, force: true });
      await rename(staging, target);
    });
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/** The folder of the binaries `user` runs: the package's own, or a verified copy under `runtimeDir`. */
export async function binariesFor(user: SystemUser, nativeDir: string, runtimeDir: string): Promise<string> {
  if (canRunBinaries(user, nativeDir)) return nativeDir;
  const version = JSON.parse(readFileSync(path.join(nativeDir, '..', 'package.json'), 'utf8')).version as string;
  await makeRootDir(runtimeDir);
  const copy = path.join(runtimeDir, `pg-${version}`);
  if (!(await copyIsIntact(nativeDir, copy))) {
    await copyBinaries(nativeDir, copy);
    if (!(await copyIsIntact(nativeDir, copy)))
      refuse(`the copy of the PostgreSQL binaries in ${copy} does not match the package`);
  }
  if (!canRunBinaries(user, copy)) refuse(`the postgres user cannot run the PostgreSQL binaries copied to ${copy}`);
  return copy;
}

/**
 * The real folder of the cluster Visitpay keeps at `clusterDir`. When the postgres user cannot reach
 * `clusterDir`'s folder, a new cluster is made under `runtimeDir`/clusters and `clusterDir` becomes a
 * symbolic link to it; an existing cluster there is never moved (that is the operator's call).
 */
export async function clusterFor(user: SystemUser, clusterDir: string, runtimeDir: string): Promise<string> {
  const link = await lstat(clusterDir).catch(() => undefined);
  if (link?.isSymbolicLink()) {
    const target = path.resolve(path.dirname(clusterDir), await readlink(clusterDir));
    if (!existsSync(target)) {
      throw new EmbeddedPostgresError(
        `the embedded database ${clusterDir} points to ${target}, which does not exist: restore the cluster there (or a backup), or remove the link to start an empty database`,
      );
    }
    return realpath(clusterDir);
  }
  if (canEnter(user, path.dirname(clusterDir))) return clusterDir;
  // an empty folder is what an attempt before O1 left behind (created, then initdb could not run)
  if (link?.isDirectory() && (await readdir(clusterDir)).length === 0) await rm(clusterDir, { recursive: true });
  else if (link) {
    refuse(
      `the postgres user cannot reach the embedded database in ${clusterDir} (a folder above it is private): move the data directory (VISITPAY_DATA_DIR) to a folder it can enter`,
    );
  }
  const clusters = path.join(runtimeDir, 'clusters');
  await makeRootDir(clusters);
  const real = path.join(clusters, randomBytes(8).toString('hex'));
  await mkdir(real, { mode: 0o700 });
  await chown(real, user.uid, user.gid);
  await symlink(real, clusterDir);
  return real;
}
