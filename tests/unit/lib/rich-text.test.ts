import { describe, expect, it } from "vitest";
import { richTextToPlain, sanitizeRichText } from "~/lib/rich-text.server";

describe("rich text", () => {
  it.each([
    ["<p>ok</p><script>alert(1)</script>", "<p>ok</p>"],
    ['<p onclick="steal()">hi</p>', "<p>hi</p>"],
    ['<a href="javascript:alert(1)">x</a>', "x"],
    ['<img src=x onerror="alert(1)">', ""],
    ['<a href="https://example.org">site</a>', '<a href="https://example.org" rel="noopener noreferrer nofollow" target="_blank">site</a>'],
    ['<p style="color:red">x</p>', "<p>x</p>"],
    ["<iframe src='https://evil.example'></iframe>text", "text"],
    ["<svg><script>alert(1)</script></svg>", ""],
  ])("cleans %s", (input, output) => {
    expect(sanitizeRichText(input)).toBe(output);
  });

  it("turns typed plain text into escaped paragraphs", () => {
    expect(sanitizeRichText("First line\nsecond\n\nThird & more, 5 > 3")).toBe("<p>First line<br />second</p><p>Third &amp; more, 5 &gt; 3</p>");
  });

  it("reads back the words", () => {
    expect(richTextToPlain("<p>One &amp; two</p><ul><li>a</li><li>b</li></ul>")).toBe("One & two\na\nb");
  });
});
