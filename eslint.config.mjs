// Lint keeps the architecture honest: each top folder may import only the layers below it (see
// docs/architecture.md), and the core never reaches VS Code, Node's I/O or the adapters.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// One rule per top folder: what each may import. Regexes on the import specifier, so that they
// hold in subfolders at any depth (a relative path names the folder it reaches into).
const NODE_IO = { regex: '^(node:|fs$|fs/|path$|os$|child_process$|net$|http$|https$|worker_threads$)', message: 'Pure code reaches files through BacklogWorkspace, not Node.' };
const VSCODE = { regex: '^vscode$|(^|/)vscode/', message: 'Only src/vscode and src/extension.ts talk to VS Code.' };
const VIEWS = { regex: '(^|/)views/', message: 'src/core is the domain: view models and exports live in src/views and depend on it, not the reverse.' };
const PROTOCOL = { regex: '(^|/)protocol/', message: 'src/core does not know the webview protocol; src/views builds what pages receive.' };
const CLI = { regex: '(^|/)cli/', message: 'The command line is an adapter: nothing imports it.' };
const WEBVIEW = { regex: '(^|/)webview/', message: 'Browser code is built on its own; host code talks to it through src/protocol.' };
const EXTENSION = { regex: '(^|/)extension$', message: 'src/extension.ts is the composition root: nothing imports it.' };
const AGENT = { regex: '(^|/)agent/', message: 'src/agent holds the agent tools over the core and views; only the adapters (src/vscode, src/cli) import it.' };
const NODE_DIR = { regex: '(^|/)node/', message: 'src/node writes to a local disk for the adapters: pure code does not import it.' };
const CHILD_PROCESS = { regex: '^(node:)?child_process$', message: 'The extension starts processes through src/vscode/platform/childProcess.ts only: trusted workspaces, no shell, a time limit.' };
const boundary = (...patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });

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
  { files: ['src/core/**/*.ts'], rules: boundary(VSCODE, NODE_IO, VIEWS, PROTOCOL, CLI, WEBVIEW, EXTENSION, NODE_DIR, AGENT) },
  { files: ['src/views/**/*.ts'], rules: boundary(VSCODE, NODE_IO, CLI, WEBVIEW, EXTENSION, NODE_DIR, AGENT) },
  // The agent tools (one definition behind VS Code's language-model tools and the MCP server): pure, over the core and views.
  { files: ['src/agent/**/*.ts'], rules: boundary(VSCODE, NODE_IO, PROTOCOL, CLI, WEBVIEW, EXTENSION, NODE_DIR) },
  // Node's file system for both adapters (the CLI and the extension's applier): over the core only.
  { files: ['src/node/**/*.ts'], rules: boundary(VSCODE, VIEWS, PROTOCOL, CLI, WEBVIEW, EXTENSION, AGENT) },
  {
    files: ['src/protocol/**/*.ts'],
    rules: boundary(VSCODE, NODE_IO, { regex: '^\\.\\./', message: 'src/protocol is shared with the browser: it imports only other protocol files.' }, { regex: '^[^.]', message: 'src/protocol is shared with the browser: it imports only other protocol files.' }),
  },
  { files: ['src/vscode/**/*.ts'], rules: boundary(CLI, WEBVIEW, EXTENSION, CHILD_PROCESS) },
  { files: ['src/vscode/platform/childProcess.ts'], rules: boundary(CLI, WEBVIEW, EXTENSION) },
  { files: ['src/cli/**/*.ts'], rules: boundary(VSCODE, WEBVIEW, EXTENSION) },
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
    rules: boundary(VSCODE, NODE_IO, { regex: '(^|/)src/(?!protocol/)', message: 'Webview code runs in the browser: import only webview files and src/protocol.' }),
  },
  {
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);
