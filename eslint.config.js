// Strict lint for cqlwire: ESLint's recommended rules plus typescript-eslint's strict and
// stylistic type-aware sets, tuned to the house style (docs/architecture.md, "Conventions").
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

export default defineConfig(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**'] },
  js.configs.recommended,
  tseslint.configs.strictTypeChecked,
  tseslint.configs.stylisticTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        // the two root config files are not in tsconfig.json's include
        projectService: { allowDefaultProject: ['eslint.config.js', 'vitest.config.ts'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: 'ExportDefaultDeclaration', message: 'Named exports only (docs/architecture.md, "Conventions").' },
        { selector: 'TSEnumDeclaration', message: 'Use an `as const` object, as the codebase does.' },
      ],
      // numbers, booleans and nullish values in messages are the norm ("got ${n}")
      '@typescript-eslint/restrict-template-expressions': [
        'error',
        { allowNumber: true, allowBoolean: true, allowNullish: true, allowRegExp: true },
      ],
      // with noUncheckedIndexedAccess, `buf[i]!` after a bounds check is the hot-path idiom
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true }],
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      eqeqeq: ['error', 'always'],
      // the codebase validates caller input that the types already exclude (JavaScript callers,
      // values behind `as`), and flags like `this.closed` change inside calls TS cannot see into
      '@typescript-eslint/no-unnecessary-condition': 'off',
      // String(x) in messages about bad caller input guards against values the types exclude
      '@typescript-eslint/no-unnecessary-type-conversion': 'off',
      // error messages for bad caller input print whatever was passed, objects included
      '@typescript-eslint/no-base-to-string': 'off',
      // `_`-prefixed names are deliberately unused: loop counters, omitted rest siblings, interface parameters
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      // rethrowing a caught value (unknown) or an abort reason (any) through a rejection passes errors on
      '@typescript-eslint/prefer-promise-reject-errors': [
        'error',
        { allowThrowingUnknown: true, allowThrowingAny: true },
      ],
      // indexed loops over bytes are deliberate on hot paths and mirror the spec's offsets
      '@typescript-eslint/prefer-for-of': 'off',
      // control bytes are matched on purpose (CQL text validation, ANSI escapes in terminal output)
      'no-control-regex': 'off',
    },
  },
  {
    // docs/architecture.md "What may import what": src/protocol has no I/O and no timers, and
    // imports nothing of the other layers
    files: ['src/protocol/**/*.ts'],
    rules: {
      'no-restricted-globals': ['error', 'setTimeout', 'setInterval', 'setImmediate', 'queueMicrotask'],
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'node:net',
              importNames: ['Socket', 'Server', 'connect', 'createConnection', 'createServer'],
              message: 'src/protocol has no I/O (docs/architecture.md).',
            },
          ],
          patterns: [
            {
              group: [
                'node:tls',
                'node:fs',
                'node:fs/*',
                'node:dgram',
                'node:http',
                'node:https',
                'node:timers',
                'node:timers/*',
              ],
              message: 'src/protocol has no I/O and no timers (docs/architecture.md).',
            },
            {
              group: [
                '**/connection/**',
                '**/cluster/**',
                '**/session/**',
                '**/streaming/**',
                '**/server/**',
                '**/cli/**',
              ],
              message: 'src/protocol imports nothing of the other layers (docs/architecture.md).',
            },
          ],
        },
      ],
    },
  },
  {
    // docs/architecture.md "What may import what": src/diagnostics sits just above src/protocol,
    // so that the connection, cluster, streaming and session layers can all publish through it
    files: ['src/diagnostics/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                '**/connection/**',
                '**/cluster/**',
                '**/session/**',
                '**/streaming/**',
                '**/scan/**',
                '**/server/**',
                '**/cli/**',
              ],
              message: 'src/diagnostics imports only src/protocol (docs/architecture.md).',
            },
          ],
        },
      ],
    },
  },
  {
    // tests narrow a caught value with `as` right before asserting on it, give fakes async
    // signatures to satisfy the interfaces they stand in for, and pass no-op callbacks
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-class-instance-assignment': 'off',
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-empty-function': 'off',
    },
  },
  {
    // the tools' own config files must default-export
    files: ['eslint.config.js', 'vitest.config.ts'],
    rules: { 'no-restricted-syntax': 'off' },
  },
);
