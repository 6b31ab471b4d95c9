// SPDX-License-Identifier: MIT
// The page and the server against the attacks of issue 14, in a real
// headless Chromium (rows 5, 6 and 7 of ../shared/attacks/README.md; the
// mails are generated here, nothing is read from ../shared):
//   row 6  a page on another site (served here from http://localhost:PORT2)
//          POSTs a phishing mail with <form enctype=text/plain> and
//          fetch(no-cors): both refused, nothing judged or recorded; a
//          rebinding name for 127.0.0.1 gets 421 for the page itself;
//   row 7  U+202E before two links: each link's text stays beside its own
//          real destination (element positions), the control is a visible
//          mark; a subject with U+202E likewise;
//   row 5  a phishing mail behind 300 empty MIME parts: never "Clean" —
//          the page says 「一部しか確認できませんでした」 / "Only partly checked"
//          in its own colour.
// usage: node attacks.mjs BASE_URL SEED.eml SHOTDIR CSRF_PORT
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import http from 'node:http';

const [base, seedPath, shotDir, csrfPort] = process.argv.slice(2);
let failed = 0, checks = 0;
function ok(cond, what) {
  checks++;
  if (!cond) failed++;
  console.log((cond ? 'ok   ' : 'FAIL ') + what);
}
function eq(got, want, what) {
  const g = JSON.stringify(got), w = JSON.stringify(want);
  ok(g === w, `${what}: ${g}${g === w ? '' : ` (want ${w})`}`);
}

async function metrics() {
  const text = await (await fetch(base + '/metrics')).text();
  const m = {};
  for (const line of text.split('\n'))
    if (line && line[0] !== '#') m[line.slice(0, line.lastIndexOf(' '))] = line.slice(line.lastIndexOf(' ') + 1);
  return m;
}
async function campaigns() {
  return (await (await fetch(base + '/v1/campaigns')).json()).campaigns.map((c) => [c.brand, c.copies]);
}

// ---- the mails ----------------------------------------------------------
const CRLF = '\r\n';
const bidiSwap = [
  'From: IT Helpdesk <helpdesk@mail-notice.example>', 'To: v@example.jp', 'Subject: Storage notice',
  'MIME-Version: 1.0', 'Content-Type: text/html; charset=utf-8', '',
  '<p>Your mailbox storage is almost used up.</p><p>\u202e<a href="https://www.microsoft.com/">ycavirP</a>' +
  ' \u200f <a href="http://quota-keep.example/">liam ym peeK</a></p>', ''].join(CRLF);
const bidiSubject = [
  'From: Amazon <no-reply@amazon.co.jp>', 'To: v@example.jp', 'Subject: \u202e test RLO', 'MIME-Version: 1.0',
  'Content-Type: text/html; charset=utf-8', '',
  '<p>\u202e<a href="http://amazon-login.evil.test/">nigoL nozamA</a> <a href="https://www.amazon.co.jp/">Help</a>' +
  '</p><p>Ordinary <a href="http://evil.test/x">ok</a></p>', ''].join(CRLF);
const seed = fs.readFileSync(seedPath, 'latin1');
const seedBody = seed.slice(seed.search(/\r?\n\r?\n/)).replace(/^\r?\n\r?\n/, '');
// ../shared/attacks/mails/limit-parts-evasion.eml: the seed behind 300
// empty parts (this server's store knows the seed's campaign, so this one
// comes out phishing); and a new phishing text behind them, which nothing
// in the part read (the preamble) gives away: the server answers clean +
// partial (or `unchecked`); it goes first, as a copy of a recorded
// campaign would not be clean
const partsSeed = [
  'From: Support <info@support-center.example>', 'To: user@example.jp', 'Subject: Notice',
  'Date: Tue, 17 Nov 2020 02:50:03 +0900', 'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="b"', '',
  '--b\r\n\r\n'.repeat(300) + '--b', 'Content-Type: multipart/alternative; boundary="b1_7f3a9c1e"', '',
  seedBody, '--b--', ''].join(CRLF);
const partsEvasion = [
  'From: Support <info@support-center.example>', 'To: user@example.jp', 'Subject: Notice', 'MIME-Version: 1.0',
  'Content-Type: multipart/mixed; boundary="b"', '', '--b\r\n\r\n'.repeat(300) + '--b',
  'Content-Type: text/html; charset=utf-8', '',
  '<p>Amazon: your account is locked within 24 hours. Verify your card now.</p>' +
  "<a href='http://amazon-login.example.icu/'>Sign in to Amazon</a>", '--b--', ''].join(CRLF);

// ---- the attacker's site (row 6) -------------------------------------------
const target = base + '/v1/check';
const csrfPage = `<!doctype html><html><body><p>innocent page</p>
<form id=f method=POST action="${target}" enctype="text/plain" target=sink>
<input type=hidden name="From: Amazon.co.jp <support@amazon-verify.example>&#13;&#10;Subject: CSRF-PLANTED&#13;&#10;X-Pad: a" value="b&#13;&#10;Content-Type: text/html&#13;&#10;&#13;&#10;<p>Amazon: your account is locked within 24 hours. Verify your card now.</p><a href='http://amazon-login.example.icu/'>Sign in to Amazon</a>">
</form><iframe name=sink></iframe>
<script>
fetch(${JSON.stringify(target)}, {method:'POST', mode:'no-cors', headers:{'Content-Type':'text/plain'},
 body:"From: Amazon.co.jp <support@amazon-verify2.example>\\r\\nSubject: CSRF-FETCH planted\\r\\nContent-Type: text/html\\r\\n\\r\\n<p>Amazon: your account is locked within 24 hours. Verify your card now.</p><a href='http://amazon-login2.example.icu/'>Sign in to Amazon</a>"})
 .then(() => { document.title += ' fetched'; }).catch((e) => { document.title += ' fetch-error'; });
fetch(${JSON.stringify(target)}, {method:'POST', headers:{'Content-Type':'message/rfc822'}, body:'Subject: x\\r\\n\\r\\nx'})
 .then((r) => { document.title += ' cors-' + r.status; }).catch((e) => { document.title += ' cors-blocked'; });
document.getElementById('f').submit();
</script></body></html>`;
const site = http.createServer((req, res) => {
  res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
  res.end(csrfPage);
});
await new Promise((r) => site.listen(Number(csrfPort), '127.0.0.1', r));

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: (process.getuid && process.getuid() === 0 ? ['--no-sandbox'] : [])
    .concat([`--host-resolver-rules=MAP rebind.example 127.0.0.1`]),
});
try {
  const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 1000 } });

  // ---- row 6: cross-site requests -----------------------------------------
  const before = await metrics();
  const camps = await campaigns();
  const evil = await context.newPage();
  await evil.goto(`http://localhost:${csrfPort}/`);
  await evil.waitForFunction(() => /fetched|fetch-error/.test(document.title) && /cors-/.test(document.title),
    null, { timeout: 10000 });
  await evil.waitForTimeout(1000); // the form's navigation in the frame
  const after = await metrics();
  const d = (k) => Number(after[k] || 0) - Number(before[k] || 0);
  eq(d('nise_http_requests_total{route="/v1/check",code="403"}'), 2,
    'csrf: the form POST and the fetch(no-cors) refused (403 cross_site)');
  eq(d('nise_http_requests_total{route="/v1/check",code="200"}'), 0, 'csrf: no /v1/check answered 200');
  eq(['phishing', 'suspicious', 'clean'].map((v) => d(`nise_messages_total{verdict="${v}"}`)), [0, 0, 0],
    'csrf: no mail judged');
  eq(await campaigns(), camps, 'csrf: no campaign planted in the store');
  ok(/cors-blocked/.test(await evil.title()), 'csrf: a CORS fetch is blocked by the browser (no preflight grant)');
  await evil.close();

  // DNS rebinding: a name of the attacker's that resolves to 127.0.0.1
  const port = new URL(base).port;
  const rb = await context.newPage();
  const resp = await rb.goto(`http://rebind.example:${port}/`);
  eq(resp.status(), 421, 'rebinding: the page under a foreign name: 421');
  eq(await rb.evaluate(() => document.body.textContent.includes('unknown_host')), true,
    'rebinding: the answer is the unknown_host error, not the page');
  await rb.close();

  // ---- the page ----------------------------------------------------------------
  const page = await context.newPage();
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(String(e)));
  await page.goto(base + '/');
  async function drop(text, name) {
    await page.evaluate(() => { delete document.querySelector('#verdict').dataset.verdict; });
    const dt = await page.evaluateHandle(({ b64, name }) => {
      const bin = atob(b64);
      const u8 = new Uint8Array(bin.length);
      for (let i = 0; i < bin.length; i++) u8[i] = bin.charCodeAt(i);
      const d = new DataTransfer();
      d.items.add(new File([u8], name, { type: 'message/rfc822' }));
      return d;
    }, { b64: Buffer.from(text, name === 'parts' ? 'latin1' : 'utf8').toString('base64'), name });
    await page.dispatchEvent('#drop', 'drop', { dataTransfer: dt });
    await page.waitForSelector('#verdict[data-verdict]', { timeout: 15000 });
  }

  // every link text, on screen, has its own destination right after it
  const pairing = (scope) => page.evaluate((scope) => {
    const items = [...document.querySelectorAll(`${scope} .mail-link, ${scope} .dest`)].map((e) => {
      const r = e.getBoundingClientRect();
      return { kind: e.classList.contains('dest') ? 'dest' : 'link', link: e.dataset.link || e.closest('[data-link]').dataset.link,
        text: e.textContent, left: r.left, right: r.right, top: r.top };
    });
    return items.filter((i) => i.kind === 'link').map((l) => {
      const next = items.filter((i) => i !== l && Math.abs(i.top - l.top) < 6 && i.left >= l.right - 2)
        .sort((a, b) => a.left - b.left)[0];
      return [l.text, next ? next.text : null, next ? next.kind === 'dest' && next.link === l.link : false];
    });
  }, scope);

  // ---- row 7: U+202E before two links ----------------------------------------
  await drop(bidiSwap, 'bidi-swap.eml');
  eq(await pairing('#mail-body'), [['ycavirP', '→ www.microsoft.com', true], ['liam ym peeK', '→ quota-keep.example', true]],
    'bidi-swap: on screen each link text is followed by its own destination');
  eq(await pairing('#links'), [['ycavirP', '→ https://www.microsoft.com/', true],
    ['liam ym peeK', '→ http://quota-keep.example/', true]], 'bidi-swap: the link list likewise');
  const order = await page.evaluate(() => [...document.querySelectorAll('#mail-body .pair')]
    .map((e) => e.getBoundingClientRect().left));
  ok(order.length === 2 && order[0] < order[1], 'bidi-swap: the links stay in the order of the mail (left to right)');
  eq(await page.evaluate(() => [...document.querySelectorAll('#mail-body mark.ctl')].map((e) => e.textContent)),
    ['U+202E', 'U+200F'], 'bidi-swap: the controls shown as marks');
  ok(await page.evaluate(() => !/[\u202a-\u202e\u2066-\u2069\u200e\u200f]/.test(document.querySelector('#result').textContent)),
    'bidi-swap: no bidi control reaches the page as text');
  await page.screenshot({ path: shotDir + '/bidi-swap.png' });

  await drop(bidiSubject, 'bidi.eml');
  eq(await page.evaluate(() => document.querySelector('#mail-subject').textContent), 'U+202E test RLO',
    'bidi: the subject reads with the control as a mark');
  eq(await pairing('#mail-body'), [['nigoL nozamA', '→ amazon-login.evil.test', true], ['Help', '→ www.amazon.co.jp', true],
    ['ok', '→ evil.test', true]], 'bidi: each link beside its own destination');

  // ---- row 5: cut by a limit, never Clean ----------------------------------------
  await drop(partsEvasion, 'parts');
  const shown = await page.evaluate(() => ({
    verdict: document.querySelector('#verdict').dataset.verdict,
    label: document.querySelector('#verdict-label').textContent,
    colour: getComputedStyle(document.querySelector('#verdict')).backgroundColor,
    limits: document.querySelector('#limits').hidden ? null : document.querySelector('#limits').textContent,
    advice: document.querySelector('#advice').textContent,
    findings: [...document.querySelectorAll('#finding-ids .id')].map((e) => e.textContent),
  }));
  console.log('parts: findings ' + shown.findings.join(' '));
  ok(shown.verdict !== 'clean' && shown.label !== 'Clean', `parts: not Clean (${shown.verdict}, "${shown.label}")`);
  eq([shown.verdict, shown.label], ['unchecked', 'Only partly checked'], 'parts: the unchecked verdict');
  eq(shown.colour, 'rgb(74, 79, 140)', 'parts: its own colour');
  ok(shown.limits && shown.limits.includes('LIMIT_PARTS'), 'parts: the limit named: ' + shown.limits);
  ok(shown.advice.startsWith('This mail was too large or too complex'), 'parts: the advice');
  await page.click('#lang-ja');
  eq(await page.textContent('#verdict-label'), '一部しか確認できませんでした', 'parts: in Japanese');
  await page.screenshot({ path: shotDir + '/unchecked.png' });
  // (after: recording this one makes the next a campaign copy of it)
  await drop(partsSeed, 'parts');
  const seedShown = await page.evaluate(() => document.querySelector('#verdict').dataset.verdict);
  ok(seedShown !== 'clean', 'parts (the seed behind 300 parts): not Clean: ' + seedShown);
  eq(problems, [], 'no console error or CSP violation');
} finally {
  await browser.close();
  site.close();
}
console.log(`web attacks: ${checks} checks, ${failed} failed`);
process.exit(failed ? 1 : 0);
