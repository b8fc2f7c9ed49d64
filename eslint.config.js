import js from '@eslint/js';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist',
      'dist-e2e-*',
      'node_modules',
      'test-results',
      'playwright-report',
      '.test-out',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
  {
    files: ['scripts/**', 'bench/**/*.mjs', '*.config.{js,ts}', '.dependency-cruiser.cjs'],
    languageOptions: { globals: globals.node },
  },
  {
    // The page reaches the worker only through src/shared/worker-api.ts.
    files: ['src/ui/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/pipeline/*', '**/engine/*'],
              message: 'UI talks to the worker through shared/worker-api.',
            },
          ],
        },
      ],
    },
  },
);
