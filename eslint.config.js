// Strict lint for cqlwire: ESLint's recommended rules plus typescript-eslint's strict and
// stylistic type-aware sets, tuned to the house style (CONVENTIONS.md, DESIGN.md).
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
      'no-restricted-syntax': ['error',
        { selector: 'ExportDefaultDeclaration', message: 'Named exports only (CONVENTIONS.md).' },
        { selector: 'TSEnumDeclaration', message: 'Use an `as const` object, as the codebase does.' }],
      // numbers, booleans and nullish values in messages are the norm ("got ${n}")
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true, allowNullish: true, allowRegExp: true }],
      // with noUncheckedIndexedAccess, `buf[i]!` after a bounds check is the hot-path idiom
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true }],
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      eqeqeq: ['error', 'always'],
    },
  },
  {
    // DESIGN.md: src/protocol has no I/O and no timers, and imports nothing of the other layers
    files: ['src/protocol/**/*.ts'],
    rules: {
      'no-restricted-globals': ['error', 'setTimeout', 'setInterval', 'setImmediate', 'queueMicrotask'],
      'no-restricted-imports': ['error', {
        paths: [{ name: 'node:net', importNames: ['Socket', 'Server', 'connect', 'createConnection', 'createServer'], message: 'src/protocol has no I/O (DESIGN.md).' }],
        patterns: [
          { group: ['node:tls', 'node:fs', 'node:fs/*', 'node:dgram', 'node:http', 'node:https', 'node:timers', 'node:timers/*'], message: 'src/protocol has no I/O and no timers (DESIGN.md).' },
          { group: ['**/connection/**', '**/cluster/**', '**/session/**', '**/streaming/**', '**/server/**', '**/cli/**'], message: 'src/protocol imports nothing of the other layers (DESIGN.md).' },
        ],
      }],
    },
  },
  {
    // the tools' own config files must default-export
    files: ['eslint.config.js', 'vitest.config.ts'],
    rules: { 'no-restricted-syntax': 'off' },
  },
);
