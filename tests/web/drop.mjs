// SPDX-License-Identifier: MIT
// Drops the seed mail on the nise serve page in a real headless Chromium
// (Debian's /usr/bin/chromium, driven by playwright-core) and checks what a
// person sees: the verdict, the button's real destination, the Greek ο
// marked, the reasons in both languages, the report downloaded — that
// nothing of a hostile mail runs or loads, and the campaign view's search.
// The server's store holds the seed's twin as a campaign (run.sh).
// Saves two screenshots.
//
// usage: node drop.mjs BASE_URL SEED.eml SCREENSHOT.png CAMPAIGNS.png
import { chromium } from 'playwright-core';
import fs from 'node:fs';

const [base, seedPath, shot, campShot] = process.argv.slice(2);
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

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: process.getuid && process.getuid() === 0 ? ['--no-sandbox'] : [],
});
try {
  const context = await browser.newContext({ locale: 'ja-JP', viewport: { width: 1280, height: 1000 },
    acceptDownloads: true });
  const page = await context.newPage();
  const requests = [], problems = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(String(e)));
  await page.goto(base + '/');

  async function drop(bytes, name) {
    const dt = await page.evaluateHandle(({ b64, name }) => {
      const bin = atob(b64);
      const u8 = new Uint8Array(bin.length);
      for (let i = 0; i < bin.length; i++) u8[i] = bin.charCodeAt(i);
      const d = new DataTransfer();
      d.items.add(new File([u8], name, { type: 'message/rfc822' }));
      return d;
    }, { b64: Buffer.from(bytes).toString('base64'), name });
    await page.dispatchEvent('#drop', 'dragenter', { dataTransfer: dt });
    await page.dispatchEvent('#drop', 'dragover', { dataTransfer: dt });
    await page.dispatchEvent('#drop', 'drop', { dataTransfer: dt });
  }

  // ---- the seed mail, dropped -----------------------------------------
  await drop(fs.readFileSync(seedPath), 'seed-amazon-phish.eml');
  await page.waitForSelector('#verdict[data-verdict]', { timeout: 15000 });
  const seen = await page.evaluate(() => {
    const q = (s) => document.querySelector(s);
    const link = [...document.querySelectorAll('#mail-body .mail-link')]
      .find((e) => e.textContent === '続けるにはこちらをクリック');
    const dest = link && link.nextElementSibling;
    const marks = [...document.querySelectorAll('#mail-body mark.glyph')];
    const m = marks[0];
    return {
      verdict: q('#verdict').dataset.verdict,
      label: q('#verdict-label').textContent,
      linkDeceptive: !!link && link.classList.contains('deceptive'),
      dest: dest && dest.classList.contains('dest') ? dest.textContent : null,
      destTitle: dest ? dest.title : null,
      marks: marks.map((e) => [e.textContent, e.title]),
      around: m ? m.previousSibling.textContent.slice(-4) + m.textContent + m.nextElementSibling.nextSibling.textContent.slice(0, 1) : null,
      note: m ? m.nextElementSibling.textContent : null,
      subject: q('#mail-subject').textContent,
      from: q('#mail-from').textContent,
      findings: [...document.querySelectorAll('#finding-ids .id')].map((e) => e.textContent),
      firstExplain: q('#findings .explain').textContent,
      advice: q('#advice').textContent,
      anchors: document.querySelectorAll('#mail-body a, #mail-body [href]').length,
      images: document.querySelectorAll('img, iframe, object, embed').length,
    };
  });
  eq(seen.verdict, 'phishing', 'seed: verdict');
  eq(seen.label, 'フィッシング', 'seed: verdict label (ja)');
  ok(seen.linkDeceptive, 'seed: 「続けるにはこちらをクリック」 marked deceptive');
  eq(seen.dest, '→ cardservices.newnamecardamazon.icu', 'seed: its real destination beside it');
  eq(seen.destTitle, '本当の行き先: http://cardservices.newnamecardamazon.icu/', 'seed: full URL on the destination');
  eq(seen.marks, [['ο', 'ο（ギリシャ文字の小文字オミクロン、U+03BF）']], 'seed: the homoglyph marked, named in Japanese');
  eq(seen.around, 'Amazοn', 'seed: the mark is the ο of Amazοn');
  eq(seen.note, 'ギリシャ文字 U+03BF', 'seed: marked as Greek');
  eq(seen.subject, 'もう一度確認してから、あなたのアカウントを利用してください', 'seed: subject');
  eq(seen.from, 'Amazon.co.jp <apikey@newnamecardamazonmail.cyou>', 'seed: from');
  ok(seen.findings.includes('LINK_BRAND_MISMATCH') && seen.findings.includes('HOMOGLYPH_WORD'),
    'seed: findings listed: ' + seen.findings.join(' '));
  ok(seen.findings.includes('CAMPAIGN_MATCH'), 'seed: the store\'s campaign found (CAMPAIGN_MATCH)');
  ok(seen.firstExplain.startsWith('差出人は「Amazon.co.jp」'), 'seed: reasons in Japanese');
  ok(seen.advice.startsWith('リンクを開かず'), 'seed: what to do (ja)');
  eq(seen.anchors, 0, 'seed: no clickable link in the rendering');
  eq(seen.images, 0, 'seed: no image, frame or object in the page');
  await page.screenshot({ path: shot, fullPage: true });
  ok(fs.statSync(shot).size > 10000, 'screenshot saved: ' + shot);

  // the report, downloaded (never rendered in the page)
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#report-html')]);
  const report = fs.readFileSync(await dl.path(), 'utf8');
  eq(dl.suggestedFilename(), 'nise-report.html', 'report: downloaded as nise-report.html');
  ok(report.startsWith('<!DOCTYPE html>\n<html lang="ja">'), 'report: the Japanese HTML report');
  ok(report.includes('hxxp://cardservices[.]newnamecardamazon[.]icu/') && !report.includes('http://') &&
    !report.toLowerCase().includes('<script'), 'report: defanged, no script');
  ok(report.includes('これまでに 2 通'), 'report: names the campaign (the twin and this drop: 2 copies)');

  await page.click('#lang-en');
  const en = await page.evaluate(() => ({
    label: document.querySelector('#verdict-label').textContent,
    note: document.querySelector('#mail-body .glyph-note').textContent,
    explain: [...document.querySelectorAll('#findings .explain')].map((e) => e.textContent),
  }));
  eq(en.label, 'PHISHING', 'English: verdict label');
  eq(en.note, 'Greek U+03BF', 'English: marked as Greek');
  ok(en.explain.includes('"Amazοn" looks like "amazon" but hides a different letter: ο = U+03BF GREEK SMALL LETTER OMICRON.'),
    'English: the homoglyph reason');

  // ---- a hostile mail, pasted: nothing runs, nothing loads --------------
  const before = requests.length;
  const hostile = [
    'From: "Support" <a@example.com>', 'Subject: hostile', 'MIME-Version: 1.0',
    'Content-Type: text/html; charset=utf-8', '',
    `<p>Hello<script>window.__pwned = 1</script><img src="${base}/beacon.png" alt="logo"`,
    ` onerror="window.__pwned = 2"><a href="${base}/clicked">open</a>`,
    `<iframe src="${base}/frame"></iframe><style>body{background:url(${base}/css-beacon)}</style></p>`,
  ].join('\r\n');
  await page.click('#paste-box summary');
  await page.fill('#paste', hostile);
  await page.click('#paste-check');
  await page.waitForFunction(() => document.querySelector('#mail-subject').textContent === 'hostile');
  await page.click('#mail-body .mail-link', { force: true });
  await page.waitForTimeout(300);
  const after = requests.slice(before);
  const hostileSeen = await page.evaluate(() => ({
    pwned: window.__pwned === undefined ? null : window.__pwned,
    body: document.querySelector('#mail-body').textContent,
  }));
  eq(hostileSeen.pwned, null, 'hostile: no script or handler ran');
  eq(hostileSeen.body, 'Hello[image: logo]open→ 127.0.0.1', 'hostile: text, image placeholder, disabled link');
  eq(after.map((u) => new URL(u).pathname), ['/v1/view'], 'hostile: the only request was /v1/view');

  // ---- the campaign view: search by brand -----------------------------
  await page.click('#lang-ja');
  await page.click('#view-campaigns');
  await page.waitForFunction(() => document.querySelectorAll('#camp-list .campaign').length > 0);
  ok(await page.isHidden('#check-view'), 'campaigns: the check view hidden');
  await page.fill('#brand', 'nosuch');
  await page.press('#brand', 'Enter');
  await page.waitForFunction(() => document.querySelectorAll('#camp-list .campaign').length === 0);
  eq(await page.textContent('#camp-status'), 'キャンペーンは見つかりませんでした。', 'campaigns: "nosuch" finds none');
  await page.fill('#brand', 'Amazon');
  await page.click('#brand-search');
  await page.waitForFunction(() => document.querySelectorAll('#camp-list .campaign').length > 0);
  const camps = await page.evaluate(() => [...document.querySelectorAll('#camp-list .campaign')].map((c) => ({
    brand: c.querySelector('.camp-brand').textContent,
    copies: c.querySelector('.camp-copies').textContent,
    seen: c.querySelector('.camp-seen').textContent,
    subjects: [...c.querySelectorAll('.camp-subjects li')].map((e) => e.textContent),
    senders: [...c.querySelectorAll('.camp-senders li')].map((e) => e.textContent),
    links: [...c.querySelectorAll('.camp-links li')].map((e) => e.textContent),
  })));
  // the twin (run.sh) and the seed dropped above: two copies of one campaign
  eq(camps, [{ brand: 'Amazon', copies: '2 通', seen: '初確認 2020-11-17 — 最終確認 2020-11-17',
    subjects: ['もう一度確認してから、あなたのアカウントを利用してください'],
    senders: ['newnamecardamazonmail.cyou'], links: ['newnamecardamazon.icu'] }],
  'campaigns: "Amazon" finds the recorded campaign and its subject');
  eq(await page.textContent('#camp-status'), '1 件のキャンペーン', 'campaigns: the count');
  await page.click('#lang-en');
  eq(await page.textContent('#camp-list .camp-copies'), '2 copies', 'campaigns: English');
  await page.screenshot({ path: campShot, fullPage: true });
  await page.click('#view-check');
  ok(await page.isVisible('#result') && await page.isHidden('#campaigns'), 'back to the check view');

  eq(requests.filter((u) => !u.startsWith(base + '/')), [], 'no request left the server');
  eq(problems, [], 'no console error or CSP violation');
} finally {
  await browser.close();
}
console.log(`web: ${checks} checks, ${failed} failed`);
process.exit(failed ? 1 : 0);
