// Lint keeps the architecture honest: the core never reaches VS Code, Node's I/O or the
// adapters, and webview code never reaches host code.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const coreBoundary = {
  patterns: [
    { group: ['vscode'], message: 'src/core is pure: talk to VS Code through an adapter in src/vscode.' },
    { group: ['fs', 'fs/*', 'path', 'os', 'child_process', 'node:*'], message: 'src/core is pure: reach files through BacklogWorkspace.' },
    // `**` so that files in core subfolders (rules/, format/…) are held to the same boundary; the
    // `vscode` group above already matches a path through src/vscode at any depth.
    { group: ['**/cli/**', '**/webview/**'], message: 'src/core must not depend on its adapters.' },
    { group: ['**/protocol/**', '**/views/**'], message: 'src/core is the domain: the protocol and the view models may know it, not the other way round.' },
  ],
};

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', 'examples/**', 'test/fixtures/**', '.vscode-test/**', '.demo/**', 'test-results/**', 'bench-results/**', '**/*.js', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-restricted-syntax': ['error', { selector: 'ExportDefaultDeclaration', message: 'Use named exports.' }],
    },
  },
  { files: ['src/core/**/*.ts'], rules: { 'no-restricted-imports': ['error', coreBoundary] } },
  {
    // Both the host and the pages import the protocol, so it reaches nothing either side lacks.
    files: ['src/protocol/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ regex: '^(?!\\./)', message: 'src/protocol is shared by the host and the pages: import only other src/protocol files.' }] }],
    },
  },
  {
    // One clock: what day it is comes from src/core/clock.ts, which BACKLOG_ATLAS_NOW and tests can move.
    files: ['src/**/*.ts'],
    ignores: ['src/core/clock.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: 'ExportDefaultDeclaration', message: 'Use named exports.' },
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'Ask the Clock (src/core/clock.ts) what day it is, so that tests and BACKLOG_ATLAS_NOW can set it.' },
      ],
    },
  },
  {
    files: ['webview/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['vscode', '**/src/vscode/*', '**/src/core/*', 'fs', 'path', 'child_process'], message: 'Webview code runs in the browser: import only webview files and the protocol.' }] },
      ],
    },
  },
  {
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);
