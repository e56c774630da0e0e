import { UI_FONT_CSS_PATH } from "./ui-fonts";

/**
 * The agent's own page (https://127.0.0.1:31337/ui): pairing requests with their 6-digit code and
 * PIN entry per pending login. It is the only place a PIN is typed; the portal never sees it.
 * The page holds a per-process token that its API calls must send back; other origins cannot
 * read the page (no CORS), so they cannot learn the token and cannot answer prompts (CSRF).
 */
export function renderUiPage(opts: { token: string; nonce: string }): string {
  return `<!doctype html>
<html lang="ja">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>ichimai カードエージェント / card agent</title>
<link rel="stylesheet" href="${UI_FONT_CSS_PATH}">
<style nonce="${opts.nonce}">
  body { font-family: system-ui, "Noto Sans JP", sans-serif; max-width: 40rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.6; color: #1a1a1a; }
  h1 { font-size: 1.4rem; } h2 { font-size: 1.1rem; margin-top: 2rem; }
  .card { border: 2px solid #1a1a1a; border-radius: 8px; padding: 1rem; margin: 1rem 0; }
  .code { font-size: 2.2rem; letter-spacing: .3rem; font-weight: bold; font-variant-numeric: tabular-nums; }
  button { font-size: 1rem; padding: .6rem 1.2rem; margin: .4rem .4rem 0 0; border-radius: 6px; border: 2px solid #1a1a1a; background: #fff; cursor: pointer; }
  button.primary { background: #0031d8; border-color: #0031d8; color: #fff; }
  input { font-size: 1.4rem; padding: .4rem; width: 12rem; letter-spacing: .2rem; }
  .warn { color: #b00020; font-weight: bold; }
  .muted { color: #555; }
  :focus-visible { outline: 3px solid #ffbf47; outline-offset: 2px; }
</style>
</head>
<body>
<h1>ichimai カードエージェント <span class="muted">/ card agent</span></h1>
<p class="muted">このページはあなたのパソコンの中だけで動いています。暗証番号はここにだけ入力してください。ポータルのページでは入力しません。<br>
This page runs only on your computer. Type your PIN here only — never into the portal.</p>
<section aria-labelledby="h-pair"><h2 id="h-pair">接続の許可 / Pairing requests</h2><div id="approvals" aria-live="polite"></div></section>
<section aria-labelledby="h-pin"><h2 id="h-pin">暗証番号の入力 / PIN requests</h2><div id="pins" aria-live="polite"></div></section>
<script nonce="${opts.nonce}">
const TOKEN = ${JSON.stringify(opts.token)};
const api = (path, body) => fetch(path, { method: body ? "POST" : "GET", headers: { "content-type": "application/json", "x-agent-ui-token": TOKEN }, body: body ? JSON.stringify(body) : undefined }).then(r => r.json());
const el = (tag, attrs, ...kids) => { const e = document.createElement(tag); Object.assign(e, attrs || {}); for (const k of kids) e.append(k); return e; };
let shown = "";
async function refresh() {
  let s; try { s = await api("/ui/api/state"); } catch { return; }
  const key = JSON.stringify(s); if (key === shown) return; shown = key;
  const A = document.getElementById("approvals"); A.replaceChildren();
  if (!s.approvals.length) A.append(el("p", { className: "muted", textContent: "ありません / none" }));
  for (const a of s.approvals) {
    A.append(el("div", { className: "card" },
      el("p", { textContent: a.origin + " が接続の許可を求めています。ポータルに表示された番号と同じなら「許可」を押してください。 / " + a.origin + " asks to use your card. Approve only if the portal shows the same number." }),
      el("p", { className: "code", textContent: a.code }),
      el("button", { className: "primary", textContent: "許可 / Approve", onclick: () => api("/ui/api/approval", { id: a.id, approve: true }).then(refresh) }),
      el("button", { textContent: "拒否 / Deny", onclick: () => api("/ui/api/approval", { id: a.id, approve: false }).then(refresh) })));
  }
  const P = document.getElementById("pins"); P.replaceChildren();
  if (!s.pins.length) P.append(el("p", { className: "muted", textContent: "ありません / none" }));
  for (const p of s.pins) {
    const isAuth = p.slot === "auth";
    const input = el("input", { type: "password", inputMode: isAuth ? "numeric" : "text", autocomplete: "off", id: "pin-" + p.id, maxLength: isAuth ? 4 : 16 });
    const form = el("form", { onsubmit: (ev) => { ev.preventDefault(); api("/ui/api/pin", { id: p.id, pin: input.value }).then(refresh); } },
      el("label", { htmlFor: "pin-" + p.id, textContent: isAuth ? "利用者証明用暗証番号（数字4桁） / Authentication PIN (4 digits): " : "署名用パスワード（英大文字と数字6〜16文字） / Signing password (6–16 A–Z, 0–9): " }),
      input, el("br"),
      el("button", { className: "primary", type: "submit", textContent: "送信 / Submit" }),
      el("button", { type: "button", textContent: "取消 / Cancel", onclick: () => api("/ui/api/pin", { id: p.id, cancel: true }).then(refresh) }));
    P.append(el("div", { className: "card" },
      el("p", { textContent: p.origin + " — " + p.displayName }),
      el("p", { className: p.triesLeft <= 1 ? "warn" : "", textContent: "残り回数 / tries left: " + p.triesLeft + " / " + p.maxTries + (p.triesLeft <= 1 ? "（次に間違えるとロックされます / the next wrong PIN locks the card）" : "") }),
      form));
    if (document.activeElement === document.body) input.focus();
  }
}
refresh(); setInterval(refresh, 1000);
</script>
</body>
</html>`;
}
