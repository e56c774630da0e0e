import { UI_FONT_CSS_PATH } from "./ui-fonts";

/**
 * The agent's own page (https://127.0.0.1:31337/ui): pairing requests with their 6-digit code and
 * PIN entry per pending login. It is the only place a PIN is typed; the portal never sees it.
 * The page holds a per-process token that its API calls must send back; other origins cannot
 * read the page (no CORS), so they cannot learn the token and cannot answer prompts (CSRF).
 */
export function renderUiPage(opts: { token: string; nonce: string; mode?: TUiMode }): string {
  if (opts.mode === "tv") return renderTvUiPage(opts);
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

/**
 * How the agent's page looks: "desktop" (the default) or "tv", the 10-foot mode for a set-top box
 * whose only input is a remote: large type, white on black, a yellow focus ring; pairing answered
 * with the arrow keys and Enter; the 4-digit authentication PIN typed with the number keys 0–9,
 * Back (Backspace / Escape / the remote's Back) deleting the last digit — or, with nothing typed,
 * cancelling — and Enter confirming. The signing password (letters and digits) cannot be typed
 * with a remote: the TV mode shows why and cancels; the first login that links a card (it signs
 * with the signing key) is made on a computer or phone. Chosen per page load with `/ui?ui=tv`
 * (or `?ui=desktop`), else by CARD_AGENT_UI (card-agent/README.md).
 */
export type TUiMode = "desktop" | "tv";

export function uiModeOf(query: string | null, fallback: TUiMode): TUiMode {
  return query === "tv" || query === "desktop" ? query : fallback;
}

function renderTvUiPage(opts: { token: string; nonce: string }): string {
  return `<!doctype html>
<html lang="ja">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>ichimai カードエージェント（テレビ） / card agent (TV)</title>
<link rel="stylesheet" href="${UI_FONT_CSS_PATH}">
<style nonce="${opts.nonce}">
  html, body { background: #000; color: #fff; margin: 0; }
  body { font-family: system-ui, "Noto Sans JP", sans-serif; font-size: 2.25rem; line-height: 1.5; padding: 3rem 5rem; min-height: 100vh; box-sizing: border-box; }
  h1 { font-size: 3rem; margin: 0 0 1rem; }
  .muted { color: #d0d0d0; font-size: 1.75rem; }
  .code { font-size: 6rem; letter-spacing: 1.5rem; font-weight: bold; font-variant-numeric: tabular-nums; }
  .boxes { display: flex; gap: 1.5rem; margin: 2rem 0; }
  .box { width: 7rem; height: 8rem; border: 6px solid #fff; border-radius: 1rem; display: flex; align-items: center; justify-content: center; font-size: 5rem; }
  .box.filled { background: #fff; color: #000; }
  .keys { border: 4px solid #ffd43d; border-radius: 1rem; padding: 1rem 2rem; margin-top: 2rem; font-size: 2rem; }
  .warn { color: #ffd43d; font-weight: bold; }
  .error { color: #ff8a8a; font-weight: bold; }
  button { font: inherit; font-weight: bold; padding: 1.5rem 3rem; margin: 1rem 2rem 0 0; border-radius: 1.5rem; border: 6px solid #fff; background: #1a1a1a; color: #fff; }
  button:focus { outline: 8px solid #ffd43d; outline-offset: 6px; }
</style>
</head>
<body data-ui-mode="tv">
<h1>カードエージェント <span class="muted">/ card agent</span></h1>
<p class="muted">暗証番号はこの画面にだけ、リモコンの数字キーで入力します。ポータルの画面では入力しません。 / Type your PIN here only, with the number keys.</p>
<main id="screen" aria-live="polite"></main>
<script nonce="${opts.nonce}">
const TOKEN = ${JSON.stringify(opts.token)};
const api = (path, body) => fetch(path, { method: body ? "POST" : "GET", headers: { "content-type": "application/json", "x-agent-ui-token": TOKEN }, body: body ? JSON.stringify(body) : undefined }).then(r => r.json());
const el = (tag, attrs, ...kids) => { const e = document.createElement(tag); Object.assign(e, attrs || {}); for (const k of kids) e.append(k); return e; };
const S = document.getElementById("screen");
// What is on screen: "idle", "approval:<id>" or "pin:<id>"; the digits typed so far stay in the page only.
let current = "idle"; let prompt = null; let digits = ""; let message = "";
const BACK = new Set(["Backspace", "Escape", "GoBack", "BrowserBack", "Back"]);
function render() {
  S.replaceChildren();
  if (!prompt) {
    S.append(el("p", { textContent: "お待ちください。テレビの画面でカードのログインを始めると、ここに表示されます。 / Waiting for a login from the TV." }));
    return;
  }
  if (prompt.kind === "approval") {
    const a = prompt.value;
    const yes = el("button", { textContent: "許可 / Approve", onclick: () => answerApproval(true) });
    yes.dataset.agentApprove = "";
    const no = el("button", { textContent: "拒否 / Deny", onclick: () => answerApproval(false) });
    S.append(el("section", { ariaLabel: "接続の許可" },
      el("p", { textContent: "テレビの画面と同じ番号なら「許可」を押してください。 / Approve if the TV shows the same number." }),
      el("p", { className: "code", textContent: a.code }),
      yes, no,
      el("p", { className: "keys", textContent: "← → で選び、決定キーで確定 / ← → to choose, Enter to confirm" })));
    yes.focus();
    return;
  }
  const p = prompt.value;
  if (p.slot !== "auth") {
    S.append(el("section", {},
      el("p", { className: "warn", textContent: "署名用パスワード（英字と数字）はリモコンでは入力できません。初めてのカードの登録は、パソコンかスマートフォンで行ってください。 / The signing password cannot be typed with a remote: link your card on a computer or phone first." }),
      el("p", { className: "keys", textContent: "決定キーまたは戻るキーで閉じます / Enter or Back closes" })));
    return;
  }
  const boxes = el("div", { className: "boxes", role: "img", ariaLabel: digits.length + " / 4" });
  for (let i = 0; i < 4; i++) boxes.append(el("div", { className: "box" + (i < digits.length ? " filled" : ""), textContent: i < digits.length ? "●" : "" }));
  boxes.dataset.agentPinLength = String(digits.length);
  S.append(el("section", { ariaLabel: "暗証番号の入力" },
    el("p", { textContent: "利用者証明用暗証番号（数字4桁）を入力してください。 / Enter your 4-digit authentication PIN." }),
    el("p", { className: "muted", textContent: p.displayName }),
    boxes,
    el("p", { className: p.triesLeft <= 1 ? "warn" : "", textContent: "残り回数 / tries left: " + p.triesLeft + " / " + p.maxTries + (p.triesLeft <= 1 ? "（次に間違えるとロックされます / the next wrong PIN locks the card）" : "") }),
    el("p", { className: "error", role: "alert", textContent: message }),
    el("p", { className: "keys", textContent: "数字キー 0〜9：入力　戻る：1文字消す（空なら取消）　決定：確定 / 0–9: type · Back: delete (cancel when empty) · Enter: confirm" })));
}
function answerApproval(approve) {
  const id = prompt.value.id; prompt = null; current = "idle"; render();
  api("/ui/api/approval", { id, approve }).then(refresh);
}
function answerPin(body) {
  const id = prompt.value.id; prompt = null; current = "idle"; digits = ""; message = ""; render();
  api("/ui/api/pin", Object.assign({ id }, body)).then(refresh);
}
document.addEventListener("keydown", (ev) => {
  if (!prompt) return;
  if (prompt.kind === "approval") {
    if (ev.key === "ArrowLeft" || ev.key === "ArrowRight") {
      const bs = [...S.querySelectorAll("button")]; const i = bs.indexOf(document.activeElement);
      bs[(i + (ev.key === "ArrowRight" ? 1 : bs.length - 1)) % bs.length].focus(); ev.preventDefault();
    } else if (BACK.has(ev.key)) { ev.preventDefault(); answerApproval(false); }
    return;
  }
  if (prompt.value.slot !== "auth") {
    if (ev.key === "Enter" || BACK.has(ev.key)) { ev.preventDefault(); answerPin({ cancel: true }); }
    return;
  }
  if (/^[0-9]$/.test(ev.key)) {
    ev.preventDefault();
    if (digits.length < 4) { digits += ev.key; message = ""; render(); }
  } else if (BACK.has(ev.key)) {
    ev.preventDefault();
    if (digits.length === 0) answerPin({ cancel: true });
    else { digits = digits.slice(0, -1); render(); }
  } else if (ev.key === "Enter") {
    ev.preventDefault();
    if (digits.length !== 4) { message = "4桁を入力してください / Enter 4 digits"; render(); }
    else answerPin({ pin: digits });
  }
});
async function refresh() {
  let s; try { s = await api("/ui/api/state"); } catch { return; }
  const next = s.approvals.length ? { kind: "approval", value: s.approvals[0] } : s.pins.length ? { kind: "pin", value: s.pins[0] } : null;
  const key = next ? next.kind + ":" + next.value.id : "idle";
  if (key === current) return;
  current = key; prompt = next; digits = ""; message = ""; render();
}
render(); refresh(); setInterval(refresh, 500);
</script>
</body>
</html>`;
}
