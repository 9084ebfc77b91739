// Writes package.json's `contributes.languageModelTools` from the agent tools' definitions
// (src/agent/agentTools.ts): `npm run agent-tools` after changing a tool.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { toolContributions } from '../src/agent/agentTools';

const file = path.resolve(__dirname, '..', 'package.json');
const manifest = JSON.parse(fs.readFileSync(file, 'utf8')) as { contributes: Record<string, unknown> };
manifest.contributes.languageModelTools = toolContributions();
fs.writeFileSync(file, `${JSON.stringify(manifest, null, 2)}\n`);
console.log(`package.json: ${toolContributions().length} language-model tools.`);
