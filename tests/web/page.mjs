// SPDX-License-Identifier: MIT
// The page answers first (issue 17 item 2), in a real headless Chromium at
// 1280x800 (desktop) and 390x844 (phone), in Japanese and English, for
// the seed mail, a clean mail (the genuine Amazon mail, authenticated by
// the trusted mx.example.jp), a clean mail nothing authenticated, pasted
// text without headers, and files that are no mail:
//   - the exact plain sentence under the banner, and the advice, both
//     above the first fold (element positions, on both widths);
//   - ids, scores and the model's features only behind 詳しく / Details;
//   - no horizontal scroll at 390 px;
//   - a clean verdict says what was checked and what could not be, with
//     no model jargon among its reasons;
//   - a PNG, a PDF or an empty file is refused with a sentence, no verdict;
//   - after a 401 (a second server with a token) the token box is
//     focused and "Send" retries.
// Saves page-{seed,clean,text}-{ja,en}-{desktop,phone}.png (the first
// fold) into SHOTDIR (docs/img has copies).
//
// usage: node page.mjs BASE_URL TOKEN_BASE_URL TOKEN ROOT SHOTDIR
import { chromium } from 'playwright-core';
import fs from 'node:fs';

const [base, tokenBase, token, root, shotDir] = process.argv.slice(2);
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

const seed = fs.readFileSync(root + '/examples/seed-amazon-phish.eml');
const genuine = fs.readFileSync(root + '/tests/golden/003-genuine-amazon-dmarc-pass.eml');
// a clean mail nothing authenticated (no Authentication-Results at all)
const plain = Buffer.from([
  'From: =?UTF-8?B?55Sw5Lit?= <tanaka@example.org>', 'To: sato@example.jp',
  'Subject: =?UTF-8?B?5piO5pel44Gu5Lya6K2w?=', 'Date: Tue, 1 Dec 2026 09:00:00 +0900',
  'Message-ID: <a1@example.org>', 'MIME-Version: 1.0', 'Content-Type: text/plain; charset=utf-8',
  'Content-Transfer-Encoding: 8bit', '', '佐藤さん', '',
  '明日の会議は10時から第2会議室です。資料は前回のものを使います。', 'よろしくお願いします。', '田中', ''].join('\r\n'));
// what a person can copy from the mail's window: no header
const pasted = [
  'Amazon.co.jp',
  'お客様のアカウントは一時的に停止されました。',
  '以下のリンクから24時間以内にお支払い情報を確認してください。',
  'https://amaz0n-secure-login.example.icu/verify',
].join('\n');
const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108020000009077' +
  '53de0000000c4944415478da63f8cfc0000003010100c9fe92ef0000000049454e44ae426082', 'hex');

const want = {
  ja: {
    seed: 'このメールはAmazonを装った詐欺メールです。リンクを開かず削除してください。',
    genuine: 'このメールに詐欺メールの特徴は見つかりませんでした。',
    plain: 'このメールに詐欺メールの特徴は見つかりませんでしたが、送信元は確認できませんでした。',
    pasted: 'このメールは詐欺メールです。リンクを開かず削除してください。',
    textOnly: 'ヘッダーがないため、本文だけを確認しました。送信元は確認できませんでした。',
    advice: 'リンクを開かず、添付ファイルも開かずに削除してください。',
    senderNo: '送信元は確認できませんでした。信頼できる認証の記録がないため、差出人が本物かどうかはわかりません。',
    senderOk: '送信元のドメイン（amazon.co.jp）は、受信したサーバーの認証で確認できました。',
    notMail: 'このファイルはメールではないため、調べられません。メールを .eml ファイルとして保存するか、本文をコピーして貼り付けてください。',
    empty: 'このファイルは空です。メールを .eml ファイルとして保存するか、本文をコピーして貼り付けてください。',
    details: '詳しく（判定の内訳）',
  },
  en: {
    seed: 'This mail is a scam pretending to be Amazon. Do not open its links; delete it.',
    genuine: 'Nothing in this mail looks like a scam.',
    plain: 'Nothing in this mail looks like a scam, but its sender could not be checked.',
    pasted: 'This mail is a scam. Do not open its links; delete it.',
    textOnly: 'There are no headers, so only the text was checked. The sender could not be checked.',
    advice: 'Do not click its links or open its attachments; delete it.',
    senderNo: 'The sender could not be checked: nothing trusted authenticated it, so whether the sender is genuine is unknown.',
    senderOk: 'The sender\'s domain (amazon.co.jp) was confirmed by the receiving server\'s authentication.',
    notMail: 'This file is not a mail, so it cannot be checked. Save the mail as an .eml file, or copy its text and paste it here.',
    empty: 'This file is empty. Save the mail as an .eml file, or copy its text and paste it here.',
    details: 'Details (how the verdict was reached)',
  },
};

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: process.getuid && process.getuid() === 0 ? ['--no-sandbox'] : [],
});

async function drop(page, bytes, name) {
  // Forget the last answer first: two refusals in a row say the same sentence, and a wait for
  // that sentence must not be met by the previous one while this file is still being checked.
  await page.evaluate(() => {
    delete document.querySelector('#verdict').dataset.verdict;
    document.querySelector('#status').textContent = '';
  });
  const dt = await page.evaluateHandle(({ b64, name }) => {
    const bin = atob(b64);
    const u8 = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) u8[i] = bin.charCodeAt(i);
    const d = new DataTransfer();
    d.items.add(new File([u8], name, { type: 'message/rfc822' }));
    return d;
  }, { b64: Buffer.from(bytes).toString('base64'), name });
  await page.dispatchEvent('#drop', 'drop', { dataTransfer: dt });
}

async function answered(page) {
  await page.waitForSelector('#verdict[data-verdict]', { timeout: 15000 });
}

async function paste(page, text) {
  await page.evaluate(() => { const v = document.querySelector('#verdict'); delete v.dataset.verdict; });
  if (!await page.isVisible('#paste')) await page.click('#paste-box summary');
  await page.fill('#paste', text);
  await page.click('#paste-check');
  await answered(page);
}

// What a person sees of the answer, and where.
function look(page) {
  return page.evaluate(() => {
    const q = (s) => document.querySelector(s);
    const bottom = (s) => { const r = q(s).getBoundingClientRect(); return Math.round(r.bottom + window.scrollY); };
    // closed <details> content is content-visibility: hidden in Chromium
    const vis = (e) => e.checkVisibility({ contentVisibilityAuto: true, visibilityProperty: true });
    const shown = (s) => { const e = q(s); return !!e && !e.hidden && vis(e); };
    return {
      verdict: q('#verdict').dataset.verdict,
      answer: q('#answer').textContent,
      note: q('#input-note').hidden ? null : q('#input-note').textContent,
      advice: [...document.querySelectorAll('#advice li')].map((e) => e.textContent),
      reasons: [...document.querySelectorAll('#findings li')].map((e) => e.textContent),
      answerBottom: bottom('#answer'),
      adviceBottom: bottom('#advice'),
      idsShown: [...document.querySelectorAll('#finding-ids .id')].some(vis),
      scoreShown: shown('#score'),
      modelShown: shown('#model'),
      score: q('#score').textContent,
      rawScore: last ? last.check.score : null,
      scrollWidth: document.documentElement.scrollWidth,
      clientWidth: document.documentElement.clientWidth,
      anchors: document.querySelectorAll('#result a, #result [href]').length,
    };
  });
}

try {
  for (const [form, viewport] of [['desktop', { width: 1280, height: 800 }], ['phone', { width: 390, height: 844 }]]) {
    for (const lang of ['ja', 'en']) {
      const context = await browser.newContext({ locale: lang === 'ja' ? 'ja-JP' : 'en-US', viewport,
        isMobile: form === 'phone', hasTouch: form === 'phone', deviceScaleFactor: 1 });
      const page = await context.newPage();
      const problems = [];
      // (Chromium logs each refused request, 422 or 400, as a console error)
      page.on('console', (m) => {
        if (m.type() === 'error' && !/status of (422|400) /.test(m.text())) problems.push(m.text());
      });
      page.on('pageerror', (e) => problems.push(String(e)));
      await page.goto(base + '/');
      const w = want[lang], tag = `${form} ${lang}`;
      const fold = viewport.height;

      async function answerFirst(what, s) {
        ok(s.answerBottom <= fold, `${tag} ${what}: the sentence above the fold (bottom ${s.answerBottom} <= ${fold})`);
        ok(s.adviceBottom <= fold, `${tag} ${what}: the advice above the fold (bottom ${s.adviceBottom} <= ${fold})`);
        ok(!s.idsShown && !s.scoreShown && !s.modelShown, `${tag} ${what}: ids, score and model hidden until ${w.details}`);
        ok(s.scrollWidth <= s.clientWidth, `${tag} ${what}: no horizontal scroll (${s.scrollWidth} <= ${s.clientWidth})`);
        eq(s.anchors, 0, `${tag} ${what}: nothing clickable from the mail`);
      }

      // ---- the seed ----------------------------------------------------
      await drop(page, seed, 'seed-amazon-phish.eml');
      await answered(page);
      let s = await look(page);
      eq([s.verdict, s.answer, s.note], ['phishing', w.seed, null], `${tag} seed: the answer`);
      eq(s.advice[0], w.advice, `${tag} seed: the advice (nise report's)`);
      eq(s.advice.length, 4, `${tag} seed: four steps`);
      ok(!s.reasons.some((r) => /確率|probability|特徴:|features?:/.test(r)),
        `${tag} seed: no model jargon among the reasons`);
      if (lang === 'ja')
        ok(!s.reasons.some((r) => /GREEK|SMALL LETTER|\(sender|in place of/.test(r)),
          `${tag} seed: no English inside the Japanese reasons`);
      await answerFirst('seed', s);
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: `${shotDir}/page-seed-${lang}-${form}.png` });
      await page.click('#details summary');
      s = await look(page);
      ok(s.idsShown && s.scoreShown && s.modelShown, `${tag} seed: ${w.details} shows ids, score and model`);
      // `nise check` prints "%.1f": the JSON's score to one decimal
      ok(s.score.startsWith((lang === 'ja' ? 'スコア ' : 'score ') + s.rawScore.toFixed(1) + ' (') &&
        /^\S+ \d+\.\d \(\S+ \S* ?-?\d+\.\d\)$/.test(s.score), `${tag} seed: the score as the CLI rounds it: ${s.score}`);
      ok(s.scrollWidth <= s.clientWidth, `${tag} seed, details open: no horizontal scroll (${s.scrollWidth})`);
      await page.click('#details summary');

      // ---- a clean mail, its sender authenticated ------------------------
      await drop(page, genuine, 'genuine.eml');
      await answered(page);
      s = await look(page);
      eq([s.verdict, s.answer, s.note], ['clean', w.genuine, null], `${tag} clean: the answer`);
      eq(s.reasons[0], w.senderOk, `${tag} clean: says the sender was authenticated`);
      ok(!s.reasons.some((r) => /確率|probability|モデル|model/.test(r)), `${tag} clean: no model jargon as a reason`);
      await answerFirst('clean', s);
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: `${shotDir}/page-clean-${lang}-${form}.png` });

      // ---- a clean mail nothing authenticated -----------------------------
      await drop(page, plain, 'plain.eml');
      await answered(page);
      s = await look(page);
      eq([s.verdict, s.answer], ['clean', w.plain], `${tag} clean, unauthenticated: the answer`);
      eq(s.reasons[0], w.senderNo, `${tag} clean, unauthenticated: 送信元は確認できませんでした`);
      ok(!s.reasons.some((r) => /確率|probability|モデル|model/.test(r)), `${tag} clean, unauthenticated: no model jargon`);

      // ---- pasted text without headers ------------------------------------
      await paste(page, pasted);
      s = await look(page);
      eq([s.verdict, s.answer, s.note], ['phishing', w.pasted, w.textOnly], `${tag} pasted text: judged as text, said so`);
      await answerFirst('pasted text', s);
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: `${shotDir}/page-text-${lang}-${form}.png` });

      // ---- files that are no mail: refused, no verdict ----------------------
      for (const [what, bytes, sentence] of [['PNG', png, w.notMail], ['PDF', Buffer.from('%PDF-1.7\n%\xe2\xe3\n1 0 obj\n'), w.notMail],
        ['empty file', Buffer.alloc(0), w.empty]]) {
        await drop(page, bytes, 'x');
        await page.waitForFunction((t) => document.querySelector('#status').textContent === t, sentence, { timeout: 15000 });
        eq([await page.textContent('#status'), await page.isHidden('#result')], [sentence, true],
          `${tag} ${what}: refused with a sentence, no verdict`);
      }
      eq(problems, [], `${tag}: no console error or CSP violation`);
      await context.close();
    }
  }

  // ---- after a 401: the token flow ------------------------------------------
  const context = await browser.newContext({ locale: 'ja-JP', viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  await page.goto(tokenBase + '/');
  await drop(page, seed, 'seed.eml');
  await page.waitForSelector('#token-box:not([hidden])', { timeout: 15000 });
  eq([await page.textContent('#status'), await page.evaluate(() => document.activeElement.id)],
    ['このサーバーにはアクセストークンが必要です。入力して「送る」を押してください。', 'token'],
    'token: a 401 opens the token box, focused, and says what to do');
  await page.fill('#token', 'wrong-token');
  await page.click('#token-send');
  await page.waitForFunction(() => document.querySelector('#status').textContent.startsWith('アクセストークンが違います'));
  ok(await page.isHidden('#result'), 'token: a wrong token says so, no verdict');
  await page.fill('#token', token);
  await page.press('#token', 'Enter');
  await answered(page);
  eq(await page.textContent('#answer'), want.ja.seed, 'token: Enter sends the mail again with the token');
  const s = await look(page);
  ok(s.scrollWidth <= s.clientWidth, `token: no horizontal scroll at 390 px (${s.scrollWidth})`);
  await context.close();
} finally {
  await browser.close();
}
console.log(`web page: ${checks} checks, ${failed} failed`);
process.exit(failed ? 1 : 0);
