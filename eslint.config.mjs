// Lint rules, including the layering of ARCHITECTURE.md:
//   app/ → server/ → db/;  workers/tasks → server/services → db/;  workers/tasks → workers/causal.
// workers/causal is pure numeric code (no I/O, no clock, no Math.random), and only
// workers/causal/tensor may import TensorFlow.js.
import js from '@eslint/js';
import drizzle from 'eslint-plugin-drizzle';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

const restrict = (patterns) => ['error', { patterns }];
const FRAMEWORKS = { group: ['next', 'next/*', 'next-auth', 'next-auth/*', '@trpc/*', 'react', 'react-dom', 'graphile-worker'], message: 'Services and the database layer are framework-free (ARCHITECTURE.md).' };
const APP = { group: ['**/app/**', '@/app/*'], message: 'Only app/ may import app/.' };
const TENSORFLOW = { group: ['@tensorflow/*'], message: 'Only workers/causal/tensor/ imports TensorFlow.js.' };
const IO = {
  group: ['fs', 'node:fs', 'fs/*', 'node:fs/*', 'node:net', 'node:http', 'node:https', 'node:child_process', 'pg', 'postgres', 'drizzle-orm', 'drizzle-orm/*', '**/db', '**/db/**', '**/server/**', 'graphile-worker', 'next', 'next/*'],
  message: 'workers/causal is pure: no I/O, no database, no framework (ARCHITECTURE.md).',
};
const PURE_SYNTAX = [
  'error',
  { selector: "CallExpression[callee.object.name='Math'][callee.property.name='random']", message: 'Use the seeded Rng passed in (workers/causal/random/rng.ts).' },
  { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: 'No clock in the numeric core: the caller times stages.' },
  { selector: "NewExpression[callee.name='Date']", message: 'No clock in the numeric core: the caller times stages.' },
];

export default tseslint.config(
  { ignores: ['node_modules/', '.next/', '.data/', 'test-results/', 'playwright-report/', 'next-env.d.ts', '.bench/', '.notes/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { drizzle, 'react-hooks': reactHooks },
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false }],
      // create-t3-app's guard: no update or delete of a whole table by accident.
      'drizzle/enforce-delete-with-where': ['error', { drizzleObjectName: ['db', 'tx', 'inner', 'outer'] }],
      'drizzle/enforce-update-with-where': ['error', { drizzleObjectName: ['db', 'tx', 'inner', 'outer'] }],
      'no-restricted-imports': restrict([TENSORFLOW]),
    },
  },
  { files: ['app/**/*.tsx'], rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'error' } },
  { files: ['server/**', 'db/**', 'workers/**'], rules: { 'no-restricted-imports': restrict([APP, TENSORFLOW]) } },
  {
    files: ['server/services/**', 'db/**'],
    // The migrator also installs graphile-worker's schema; that is its job. Integration tests
    // may start a real worker.
    ignores: ['db/migrate.ts', '**/*.test.ts'],
    rules: { 'no-restricted-imports': restrict([APP, TENSORFLOW, FRAMEWORKS]) },
  },
  {
    files: ['workers/causal/**'],
    ignores: ['workers/causal/**/*.test.ts', 'workers/causal/testing/**', 'workers/causal/**/*fixture*.ts'],
    rules: {
      'no-restricted-imports': restrict([TENSORFLOW, IO]),
      'no-restricted-syntax': PURE_SYNTAX,
      // Published coefficients (AS 241, Cody, R's nmath) are written with all their digits.
      'no-loss-of-precision': 'off',
    },
  },
  {
    files: ['workers/causal/tensor/**'],
    ignores: ['workers/causal/**/*.test.ts'],
    rules: { 'no-restricted-imports': restrict([IO]) },
  },
);
