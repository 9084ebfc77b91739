import * as assert from 'assert';
import { renderSafeMarkdown } from '../../src/views/safeMarkdown';

/** The href of every <a> element in the output. */
function hrefs(html: string): string[] {
  return [...html.matchAll(/<a\s[^>]*href="([^"]*)"/g)].map((m) => m[1]);
}

describe('safe Markdown for webviews', () => {
  it('keeps formatting and makes http(s) and mailto links that cannot reach back to the opener', () => {
    const html = renderSafeMarkdown('Read **the plan** at [docs](https://example.com/plan) or write to [us](mailto:team@example.com).');
    assert.match(html, /<strong>the plan<\/strong>/);
    assert.deepStrictEqual(hrefs(html), ['https://example.com/plan', 'mailto:team@example.com']);
    for (const tag of html.match(/<a\s[^>]*>/g)!) assert.match(tag, /rel="noopener noreferrer"/);
  });

  it('links bare URLs and e-mail addresses, also with rel="noopener noreferrer"', () => {
    const html = renderSafeMarkdown('See http://example.com/x and ask ann@example.com');
    assert.deepStrictEqual(hrefs(html), ['http://example.com/x', 'mailto:ann@example.com']);
    assert.strictEqual(html.match(/rel="noopener noreferrer"/g)?.length, 2);
  });

  it('does not turn javascript:, data:, file: or relative targets into links', () => {
    const hostile = [
      '[a](javascript:alert(1))',
      '[b](JavaScript:alert(1))',
      '[c](<javascript:alert(1)>)',
      '<javascript:alert(1)>',
      '[d](data:text/html;base64,PHNjcmlwdD4=)',
      '[e](vbscript:msgbox)',
      '[f](file:///etc/passwd)',
      '[g](./other.md)',
      '[h](//evil.example/x)',
      '[i]: javascript:alert(1)\n\n[i]',
    ];
    for (const md of hostile) {
      const html = renderSafeMarkdown(md);
      assert.deepStrictEqual(hrefs(html), [], `${md} → ${html}`);
      assert.doesNotMatch(html, /<a[\s>]/, md);
    }
  });

  it('escapes raw HTML instead of passing it through', () => {
    const html = renderSafeMarkdown('<script>alert(1)</script>\n\nHello <b onclick="x()">there</b>');
    assert.doesNotMatch(html, /<script|<b[\s>]/);
    assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
    assert.match(html, /&lt;b onclick=&quot;x\(\)&quot;&gt;there&lt;\/b&gt;/);
  });

  it('shows images as their alt text so that nothing remote loads', () => {
    const html = renderSafeMarkdown('Logo: ![Our *logo* <b>](https://tracker.example/pixel.png)');
    assert.doesNotMatch(html, /<img|pixel\.png/);
    assert.match(html, /Logo: Our logo &lt;b&gt;/);
  });

  it('keeps a linked image as a link around its alt text', () => {
    const html = renderSafeMarkdown('[![build status](https://ci.example/badge.svg)](https://ci.example/run)');
    assert.doesNotMatch(html, /<img|badge\.svg/);
    assert.deepStrictEqual(hrefs(html), ['https://ci.example/run']);
    assert.match(html, />build status<\/a>/);
  });

  it('drops input past 20,000 characters without splitting a character in two', () => {
    const long = `${'a'.repeat(19999)}😀 [late](https://example.com/late)`;
    const html = renderSafeMarkdown(long);
    assert.doesNotMatch(html, /late|😀/);
    assert.doesNotMatch(html, /[\uD800-\uDBFF](?![\uDC00-\uDFFF])/, 'no lone high surrogate');
    assert.ok(html.includes('a'.repeat(19999)));
  });
});
