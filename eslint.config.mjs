// Type-aware linting for the server, the web client, the tests and the benchmarks.
// Formatting is Prettier's job (eslint-config-prettier turns off the rules that would fight it).
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  // bench/results/tmp holds the bench's private build of the last commit (BENCH_TREE=head, the A/B experiment).
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      'bench/dist/**',
      'bench/results/tmp/**',
      'coverage/**',
      'data/**',
      '**/*.js',
      '**/*.mjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx', '**/*.mts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      // Aware of decorator metadata: an import Nest or MikroORM reads at run time stays a value import.
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-non-null-assertion': 'warn',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
    },
  },
  {
    // Tests and benchmarks read untyped JSON answers from the hub: `any` there is the honest type.
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // Repositories read without asking the policy: in the apps only the per-request loaders may use them
    // (their parents were let through already); everything else goes through a checked service method.
    files: ['apps/**/*.ts'],
    ignores: ['apps/api/src/graphql/loaders.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@hub/*'],
              importNamePattern: 'Repository$',
              message: 'Unchecked reads are for the per-request loaders; call the checked service method instead.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['apps/web/**/*.ts', 'apps/web/**/*.tsx'],
    languageOptions: { globals: { ...globals.browser } },
  },
  prettier,
);
