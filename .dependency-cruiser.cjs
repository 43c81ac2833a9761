/**
 * The arrows of docs/architecture.md, checked in CI (`npm run lint:deps`).
 * A context is a folder of src/modules/; its door is its index.ts. Pure leaves — domain/, *-dto.ts and
 * *-schemas.ts, which hold types, rules and zod schemas and import no other context's services — may be
 * imported directly: they carry no behaviour, and importing them through the door would let
 * module-evaluation cycles leave a schema undefined.
 */
const DOOR_OR_LEAF = '(/index\\.ts|/domain/.+|-dto\\.ts|-schemas\\.ts)$';

module.exports = {
  forbidden: [
    {
      name: 'modules-not-to-http',
      comment: 'Only a context\'s *.routes.ts speaks HTTP; services, repositories and domain never import src/http/.',
      severity: 'error',
      from: { path: '^src/modules/', pathNot: '\\.routes\\.ts$' },
      to: { path: '^src/http/' },
    },
    {
      name: 'no-cross-context-repository',
      comment: 'A context\'s SQL is its own: nobody imports another context\'s *.repository.ts.',
      severity: 'error',
      from: { path: '^src/modules/([^/]+)/' },
      to: { path: '^src/modules/[^/]+/.+\\.repository\\.ts$', pathNot: '^src/modules/$1/' },
    },
    {
      name: 'contexts-through-doors',
      comment: 'A context uses another through its index.ts (or a pure leaf: domain/, *-dto.ts, *-schemas.ts).',
      severity: 'error',
      from: { path: '^src/modules/([^/]+)/' },
      to: { path: '^src/modules/[^/]+/', pathNot: ['^src/modules/$1/', DOOR_OR_LEAF] },
    },
    {
      name: 'wiring-through-doors',
      comment: 'Jobs, the CLI, backups and http/ reach a context through its door; only http/app.ts registers *.routes.ts.',
      severity: 'error',
      from: { path: '^src/', pathNot: ['^src/modules/', '^src/http/app\\.ts$'] },
      to: { path: '^src/modules/[^/]+/', pathNot: DOOR_OR_LEAF },
    },
    {
      name: 'routes-only-from-app',
      comment: 'Routes are registered in one place.',
      severity: 'error',
      from: { path: '^src/', pathNot: ['^src/http/app\\.ts$', '\\.routes\\.ts$'] },
      to: { path: '\\.routes\\.ts$' },
    },
    {
      name: 'infrastructure-stays-below',
      comment: 'shared/, db/, live/ and providers/ serve the contexts and never import them, nor http/, jobs/ or the CLI (a provider\'s own *.routes.ts may use http/).',
      severity: 'error',
      from: { path: '^src/(shared|db|live|providers)/', pathNot: '\\.routes\\.ts$' },
      to: { path: '^src/(modules|http|jobs|cli|backups)/' },
    },
    {
      name: 'providers-not-named-outside',
      comment: 'Provider quirks stay in providers/: contexts use the port and the registry; only the wiring (services.ts, http/app.ts, jobs/) names an adapter.',
      severity: 'error',
      from: { path: '^src/modules/' },
      to: { path: '^src/providers/(sandbox|stripe|yookassa)/' },
    },
    {
      name: 'live-through-door',
      comment: 'Live updates are used through src/live/index.ts.',
      severity: 'error',
      from: { pathNot: '^src/live/' },
      to: { path: '^src/live/', pathNot: '^src/live/index\\.ts$' },
    },
    {
      name: 'web-shares-only-pure-domain',
      comment: 'The admin app takes from the server only pure domain/ leaves (one SMS count for both); its tsconfig has no node types, so a leaf it takes cannot reach for node: modules.',
      severity: 'error',
      from: { path: '^web/src/' },
      to: { path: '^src/', pathNot: '^src/modules/[^/]+/domain/' },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    includeOnly: '^(src|web/src)/',
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
