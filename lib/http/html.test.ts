import { describe, expect, it } from "vitest";
import { flag, html, rawHtml } from "./html";

describe("html", () => {
  it("escapes interpolated text and attributes but not nested html", () => {
    const name = `<script>alert("x")</script>&'`;
    const out = html`<p title="${name}">${name}${html`<b>${"ok"}</b>`}</p>`.toString();
    expect(out).toBe(
      '<p title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;<b>ok</b></p>',
    );
  });
  it("joins arrays and drops null, undefined and false", () => {
    expect(html`${[1, html`<i>2</i>`, null, undefined, false]}`.toString()).toBe("1<i>2</i>");
    expect(html`<a${flag("data-x", true)}${flag("data-y", false)}>`.toString()).toBe('<a data-x="">');
    expect(rawHtml("<br>").toString()).toBe("<br>");
  });
});
