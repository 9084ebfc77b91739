import * as assert from 'assert';
import fc from 'fast-check';
import { readFileSync } from 'fs';
import * as path from 'path';
import { AGENT_TOOLS, checkToolArgs, inputSchema, toolContributions } from '../../src/agent/agentTools';

describe('the agent tools', () => {
  it("are declared in package.json exactly as defined (run `npm run agent-tools` after changing one)", () => {
    const manifest = JSON.parse(readFileSync(path.resolve(__dirname, '../../package.json'), 'utf8')) as { contributes: { languageModelTools: unknown } };
    assert.deepStrictEqual(manifest.contributes.languageModelTools, toolContributions());
  });

  it('say what each is for, and hide the writes in Restricted Mode', () => {
    for (const t of toolContributions()) {
      assert.match(t.name, /^backlog_[a-z]+$/);
      assert.ok(t.modelDescription.length > 80, t.name);
      assert.strictEqual(t.canBeReferencedInPrompt, true);
      const write = AGENT_TOOLS.find((x) => x.name === t.name)!.kind === 'write';
      assert.strictEqual('when' in t ? t.when : undefined, write ? 'isWorkspaceTrusted' : undefined);
    }
  });

  it('check any JSON without throwing, and accept only what the schema allows', () => {
    fc.assert(
      fc.property(fc.constantFrom(...AGENT_TOOLS), fc.jsonValue(), (tool, args) => {
        const r = checkToolArgs(tool, args);
        if (!r.ok) return;
        const schema = inputSchema(tool);
        // No arguments at all (MCP leaves them out) count as {}.
        const given = args ?? {};
        assert.ok(typeof given === 'object' && !Array.isArray(given));
        for (const key of Object.keys(given)) assert.ok(key in schema.properties, key);
        for (const key of schema.required ?? []) assert.ok(key in given, key);
      }),
      { numRuns: 2000 },
    );
  });

  it('name the argument that is wrong', () => {
    const update = AGENT_TOOLS.find((t) => t.name === 'backlog_update')!;
    const cases: [unknown, RegExp][] = [
      [[], /JSON object/],
      [{}, /"id" is required/],
      [{ id: 'BL-1', labels: ['a', 2] }, /"labels" holds a value that must be a string/],
      [{ id: 'BL-1', check: [1.5] }, /whole number/],
      [{ id: 'BL-1', size: 'XXL' }, /one of XS, S, M, L, XL/],
      [{ id: 'BL-1', title: null }, /cannot be null/],
      [{ id: 'BL-1', __proto__: 1, constructor: 1 }, /Unknown argument "constructor"/],
    ];
    for (const [args, message] of cases) {
      const r = checkToolArgs(update, args);
      assert.ok(!r.ok && message.test(r.message), `${JSON.stringify(args)}: ${r.ok ? 'accepted' : r.message}`);
    }
    assert.deepStrictEqual(checkToolArgs(update, { id: 'BL-1', estimate: null, sprint: 'S-2' }), { ok: true, value: { id: 'BL-1', estimate: null, sprint: 'S-2' } });
  });
});
