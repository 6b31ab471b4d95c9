// SPDX-License-Identifier: MIT
// nise page: sends a mail to POST /v1/view and shows the answer; the
// second view lists the recorded campaigns (GET /v1/campaigns?brand=).
// Everything from the mail or the store goes into the page through
// textContent only:
// the server's view is plain text segments, never markup, and the page's
// Content-Security-Policy forbids inline scripts and every other origin.
'use strict';

const T = {
  ja: {
    tagline: '怪しいメールをここに落とすと、本物かどうかと、その理由がわかります。',
    drop: 'メール（.eml）をここにドロップ', choose: 'ファイルを選ぶ',
    paste: 'またはメールのソースか本文を貼り付ける', check: '調べる', token: 'アクセストークン',
    tokenSend: '送る', badToken: 'アクセストークンが違います。確かめてもう一度入力してください。',
    asItLooks: 'メールの見た目（安全に表示）',
    safeNote: '画像は読み込まず、スクリプトは動かさず、リンクは押せません。リンクの横に本当の行き先を示します。',
    from: '差出人', subject: '件名', why: '理由', whyClean: '確認したこと', links: 'リンク（表示 → 本当の行き先）',
    todo: 'どうすればよいか', details: '詳しく（判定の内訳）',
    privacy: 'メールはこのサーバーの中で調べるだけで、外部には送りません。フィッシングと判定したメールは、キャンペーンとして件名・差出人とリンク先のドメインを記録することがあります。',
    viewCheck: 'メールを調べる', viewCampaigns: 'キャンペーン',
    report: 'レポート', reportNote: 'このメールの解説記事（リンクは無害化済み）をダウンロードします。',
    campTitle: '記録されたキャンペーン',
    campNote: 'nise がフィッシングと判定して記録したメールを、よく似たもの同士でまとめたものです。',
    brand: 'ブランド', brandHint: '例: Amazon', search: '検索', searching: '検索しています…',
    campCount: '件のキャンペーン', noCampaigns: 'キャンペーンは見つかりませんでした。',
    noBrand: '（ブランド不明）', copies: '通', firstSeen: '初確認', lastSeen: '最終確認',
    subjects: '件名', senders: '差出人ドメイン', linkDomains: 'リンク先ドメイン',
    phishing: 'フィッシング', suspicious: '要注意', clean: '問題なし',
    unchecked: '一部しか確認できませんでした', limits: '読み切れなかった理由',
    // the answer: one plain sentence from the verdict and the brand
    answerPhishBrand: (b) => `このメールは${b}を装った詐欺メールです。リンクを開かず削除してください。`,
    answerPhish: 'このメールは詐欺メールです。リンクを開かず削除してください。',
    answerSuspBrand: (b) => `このメールは${b}を装った詐欺メールのおそれがあります。リンクは開かず、${b}の公式サイトやアプリで確かめてください。`,
    answerSusp: 'このメールは詐欺メールのおそれがあります。リンクは開かず、送り主の公式サイトやアプリで確かめてください。',
    answerClean: 'このメールに詐欺メールの特徴は見つかりませんでした。',
    answerCleanUnsure: 'このメールに詐欺メールの特徴は見つかりませんでしたが、送信元は確認できませんでした。',
    answerUnchecked: 'このメールは大きすぎるか複雑すぎて、全部は確認できませんでした。安全とは言えません。',
    textOnly: 'ヘッダーがないため、本文だけを確認しました。送信元は確認できませんでした。',
    notMail: 'このファイルはメールではないため、調べられません。メールを .eml ファイルとして保存するか、本文をコピーして貼り付けてください。',
    emptyMail: 'このファイルは空です。メールを .eml ファイルとして保存するか、本文をコピーして貼り付けてください。',
    adviceUnchecked: 'このメールは大きすぎるか複雑すぎて、全部は確認できませんでした。安全とは言えません。リンクや添付ファイルを開かないでください。',
    adviceClean: '怪しい点は見つかりませんでしたが、心当たりのない依頼や、急がせる連絡には慎重に。確かめたいときは、メールのリンクではなく公式サイトやアプリを自分で開いてください。',
    noReason: '一つひとつの特徴に決め手はありませんが、全体としてフィッシングメールによく似ています。',
    checkedSenderOk: (d) => `送信元のドメイン（${d}）は、受信したサーバーの認証で確認できました。`,
    checkedSenderNo: '送信元は確認できませんでした。信頼できる認証の記録がないため、差出人が本物かどうかはわかりません。',
    checkedLinks: (n) => `リンク ${n} 件の本当の行き先を確かめました。`,
    checkedNoLinks: 'リンクはありません。',
    checkedText: '本文の文言（急がせる・脅す・個人情報を求める表現）を確かめました。',
    checkedAttach: (n) => `添付ファイル ${n} 件の種類を確かめました（中身を開いての確認はしていません）。`,
    score: 'スコア', checksOnly: 'チェックのみ', model: '学習モデル', modelP: (p) => `フィッシングの確率 ${p}%`,
    modelTop: '効いた特徴', evidence: '根拠',
    checking: '調べています…', image: '画像',
    deceptive: '偽装', realDest: '本当の行き先', noLinks: 'リンクはありません。',
    needToken: 'このサーバーにはアクセストークンが必要です。入力して「送る」を押してください。',
    scripts: { GREEK: 'ギリシャ文字', CYRILLIC: 'キリル文字', ARMENIAN: 'アルメニア文字', LATIN: 'ラテン文字',
      FULLWIDTH: '全角文字', MATHEMATICAL: '数学用文字', CHEROKEE: 'チェロキー文字' },
    glyph: '紛れ込んだ文字',
    feedbackTitle: '判定がおかしいとき', reportFalse: '誤判定を報告', reportPhish: 'フィッシングとして報告',
    feedbackDone: '報告を受け付けました。上の判定は報告を反映したものです。',
  },
  en: {
    tagline: 'Drop a suspicious mail here to see whether it is phishing, and why.',
    drop: 'Drop a mail (.eml) here', choose: 'Choose a file',
    paste: 'or paste the mail source or its text', check: 'Check', token: 'Access token',
    tokenSend: 'Send', badToken: 'The access token is wrong. Check it and enter it again.',
    asItLooks: 'The mail as it looks (shown safely)',
    safeNote: 'No images are loaded, no scripts run, links cannot be clicked. Each link shows where it really goes.',
    from: 'From', subject: 'Subject', why: 'Why', whyClean: 'What was checked', links: 'Links (shown text → real destination)',
    todo: 'What to do', details: 'Details (how the verdict was reached)',
    privacy: 'The mail is only examined on this server and sent nowhere else. Of a mail judged phishing, the server may record the subject and the sender and link domains as a campaign.',
    viewCheck: 'Check a mail', viewCampaigns: 'Campaigns',
    report: 'Report', reportNote: 'Download an article about this mail (links defanged).',
    campTitle: 'Recorded campaigns',
    campNote: 'Mails nise judged phishing and recorded, grouped with their look-alikes.',
    brand: 'Brand', brandHint: 'e.g. Amazon', search: 'Search', searching: 'Searching…',
    campCount: 'campaign(s)', noCampaigns: 'No campaign found.',
    noBrand: '(no brand)', copies: 'copies', firstSeen: 'first seen', lastSeen: 'last seen',
    subjects: 'Subjects', senders: 'Sender domains', linkDomains: 'Link domains',
    phishing: 'PHISHING', suspicious: 'Suspicious', clean: 'Clean',
    unchecked: 'Only partly checked', limits: 'Not fully read',
    answerPhishBrand: (b) => `This mail is a scam pretending to be ${b}. Do not open its links; delete it.`,
    answerPhish: 'This mail is a scam. Do not open its links; delete it.',
    answerSuspBrand: (b) => `This mail may be a scam pretending to be ${b}. Do not open its links; check on ${b}'s official site or app instead.`,
    answerSusp: 'This mail may be a scam. Do not open its links; check on the sender\'s official site or app instead.',
    answerClean: 'Nothing in this mail looks like a scam.',
    answerCleanUnsure: 'Nothing in this mail looks like a scam, but its sender could not be checked.',
    answerUnchecked: 'This mail was too large or too complex to check completely, so it cannot be called safe.',
    textOnly: 'There are no headers, so only the text was checked. The sender could not be checked.',
    notMail: 'This file is not a mail, so it cannot be checked. Save the mail as an .eml file, or copy its text and paste it here.',
    emptyMail: 'This file is empty. Save the mail as an .eml file, or copy its text and paste it here.',
    adviceUnchecked: 'This mail was too large or too complex to check completely, so it cannot be called safe. Do not open its links or attachments.',
    adviceClean: 'Nothing suspicious was found, but be careful with requests you did not expect or that rush you. To check, open the official site or app yourself rather than a link in the mail.',
    noReason: 'No single sign decides it, but as a whole the mail closely resembles phishing mail.',
    checkedSenderOk: (d) => `The sender's domain (${d}) was confirmed by the receiving server's authentication.`,
    checkedSenderNo: 'The sender could not be checked: nothing trusted authenticated it, so whether the sender is genuine is unknown.',
    checkedLinks: (n) => `Where each of the ${n} link(s) really goes was checked.`,
    checkedNoLinks: 'There are no links.',
    checkedText: 'The wording (pressure, threats, requests for personal data) was checked.',
    checkedAttach: (n) => `The type of the ${n} attachment(s) was checked (they were not opened).`,
    score: 'score', checksOnly: 'checks alone', model: 'learned model', modelP: (p) => `probability of phishing ${p}%`,
    modelTop: 'features that weighed most', evidence: 'evidence',
    checking: 'Checking…', image: 'image',
    deceptive: 'deceptive', realDest: 'really goes to', noLinks: 'No links.',
    needToken: 'This server needs an access token. Enter it and press Send.',
    scripts: { GREEK: 'Greek', CYRILLIC: 'Cyrillic', ARMENIAN: 'Armenian', LATIN: 'Latin',
      FULLWIDTH: 'full-width', MATHEMATICAL: 'mathematical', CHEROKEE: 'Cherokee' },
    glyph: 'look-alike letter',
    feedbackTitle: 'If the verdict is wrong', reportFalse: 'Report a false alarm', reportPhish: 'Report as phishing',
    feedbackDone: 'The report was recorded; the verdict above takes it into account.',
  },
};

let lang = (navigator.language || '').startsWith('ja') ? 'ja' : 'en';
let last = null;      // the last answer of /v1/view
let lastBody = null;  // and what was sent, to retry with a token
let campaigns = null; // the last answer of /v1/campaigns

const $ = (id) => document.getElementById(id);

function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

function setStatus(msg, err) {
  $('status').textContent = msg || '';
  $('status').classList.toggle('err', !!err);
}

function applyLang() {
  document.documentElement.lang = lang;
  for (const e of document.querySelectorAll('[data-i18n]')) e.textContent = T[lang][e.dataset.i18n];
  for (const e of document.querySelectorAll('[data-i18n-placeholder]'))
    e.placeholder = T[lang][e.dataset.i18nPlaceholder];
  $('lang-ja').classList.toggle('on', lang === 'ja');
  $('lang-en').classList.toggle('on', lang === 'en');
  if (last) render(last);
  if (refused) setStatus(refused === 'not_a_mail' ? T[lang].notMail : T[lang].emptyMail, true);
  if (campaigns) renderCampaigns(campaigns);
}

// Every request says it is the page's own (X-Nise-Request): a header no
// other site's page can add without a CORS preflight, which the server
// never grants (guard.c).
function authHeaders(headers) {
  headers['X-Nise-Request'] = '1';
  const tok = $('token').value.trim();
  if (tok) headers.Authorization = 'Bearer ' + tok;
  return headers;
}

function scriptOf(note) {
  const m = /^U\+[0-9A-F]+ ([A-Z]+)/.exec(note || '');
  return (m && T[lang].scripts[m[1]]) || T[lang].glyph;
}

function linkHost(l) {
  return l.host || l.url || l.href || '';
}

// Bidirectional and invisible controls (U+202A-202E, U+2066-2069,
// U+200E/F, U+061C): never passed to the page as text; each is shown as a
// visible mark instead, so none can reorder what is around it.
const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

function cpLabel(ch) {
  return 'U+' + ch.codePointAt(0).toString(16).toUpperCase().padStart(4, '0');
}

// Text from the mail into parent: in its own bidi isolate (span.seg,
// dir=auto), controls as marks.
function textInto(parent, text, cls) {
  const box = el('span', cls || 'seg');
  box.dir = 'auto';
  let run = '';
  for (const ch of text) {
    if (!BIDI.test(ch)) {
      run += ch;
      continue;
    }
    if (run) box.appendChild(document.createTextNode(run));
    run = '';
    const m = el('mark', 'ctl', cpLabel(ch));
    m.title = cpLabel(ch);
    box.appendChild(m);
  }
  if (run) box.appendChild(document.createTextNode(run));
  parent.appendChild(box);
  return box;
}

// One segment list (subject, name or body) into parent. A link's text and
// its real destination sit together in one isolate (span.pair): no
// control in the mail can move another link's destination beside it.
function segments(parent, segs, check, view) {
  let openLink = -1, linkEl = null, pair = null;
  const closeLink = () => {
    if (openLink < 0) return;
    const l = check.links[openLink];
    const bad = view.links[openLink] && view.links[openLink].findings.length > 0;
    const d = el('span', 'dest' + (bad ? ' deceptive' : ''), '→ ');
    textInto(d, linkHost(l), 'host');
    d.title = T[lang].realDest + ': ' + (l.url || l.href);
    d.dataset.link = String(openLink);
    pair.appendChild(d);
    openLink = -1;
    linkEl = null;
    pair = null;
  };
  for (const s of segs) {
    const link = s.link === undefined ? -1 : s.link;
    if (link !== openLink) {
      closeLink();
      if (link >= 0) {
        const bad = view.links[link] && view.links[link].findings.length > 0;
        pair = el('span', 'pair');
        pair.dataset.link = String(link);
        linkEl = el('span', 'mail-link' + (bad ? ' deceptive' : ''));
        linkEl.dataset.link = String(link);
        linkEl.setAttribute('role', 'link');
        linkEl.setAttribute('aria-disabled', 'true');
        pair.appendChild(linkEl);
        parent.appendChild(pair);
        openLink = link;
      }
    }
    const into = linkEl || parent;
    if (s.br) {
      closeLink();
      parent.appendChild(document.createElement('br'));
    } else if (s.image !== undefined) {
      into.appendChild(el('span', 'img', '[' + T[lang].image + (s.image ? ': ' + s.image : '') + ']'));
    } else if (s.glyph && /^\u27e8U\+[0-9A-F]+\u27e9$/.test(s.text || '')) {
      // a bidi or invisible control, already replaced by libnise with a
      // visible mark (⟨U+202E⟩): shown as the same mark as a raw one
      const label = s.glyph.split(' ')[0];
      const m = el('mark', 'ctl', label);
      m.title = s.glyph;
      into.appendChild(m);
    } else if (s.glyph) {
      const m = el('mark', 'glyph');
      textInto(m, s.text);
      // the letter's name in the page's language (a Japanese gloss, not
      // the Unicode name, inside a Japanese page)
      m.title = lang === 'ja' && s.glyph_ja ? s.glyph_ja : s.glyph;
      m.dataset.glyph = s.glyph;
      into.appendChild(m);
      into.appendChild(el('span', 'glyph-note', scriptOf(s.glyph) + ' ' + s.glyph.split(' ')[0]));
    } else {
      textInto(into, s.text);
    }
  }
  closeLink();
}

// What the page shows: a mail a limit cut short is never "clean", whatever
// the server's version calls it (before the `unchecked` verdict existed,
// such a mail came back clean with "partial": true).
function shownVerdict(c) {
  if (c.verdict === 'unchecked' || (c.partial && c.verdict === 'clean')) return 'unchecked';
  return c.verdict in T[lang] ? c.verdict : 'unchecked';
}

// A finding's score, to one decimal (the total comes from the server,
// rounded as `nise check` prints it).
function fmtScore(x) {
  return Number(x).toFixed(1);
}

function li(parent, text, cls) {
  const e = el('li', cls);
  textInto(e, text, 'explain');
  parent.appendChild(e);
  return e;
}

// The one plain sentence under the banner.
function answerOf(c, v, verdict) {
  const t = T[lang], b = c.brand;
  if (verdict === 'phishing') return b ? t.answerPhishBrand(b) : t.answerPhish;
  if (verdict === 'suspicious') return b ? t.answerSuspBrand(b) : t.answerSusp;
  if (verdict === 'unchecked') return t.answerUnchecked;
  return v.sender_authenticated && v.input !== 'text' ? t.answerClean : t.answerCleanUnsure;
}

// Reasons in plain words: the checks' sentences; the learned model's
// (MODEL_*) and every id and score are under 詳しく / Details.
function reasonsOf(c, verdict) {
  return c.findings.filter((f) => !f.id.startsWith('MODEL_') && (verdict === 'clean' || f.score > 0));
}

function renderAdvice(c, v, verdict) {
  const ol = $('advice');
  ol.textContent = '';
  ol.classList.toggle('single', verdict !== 'phishing' && verdict !== 'suspicious');
  const adv = (v.advice || {})[lang] || { todo: [], threat: '' };
  $('threat').textContent = '';
  if (verdict === 'phishing' || verdict === 'suspicious') {
    for (const step of adv.todo) li(ol, step);
    $('threat').textContent = adv.threat;
  } else {
    li(ol, verdict === 'clean' ? T[lang].adviceClean : T[lang].adviceUnchecked);
  }
  $('threat').hidden = !$('threat').textContent;
}

function renderReasons(c, v, verdict) {
  const fl = $('findings');
  fl.textContent = '';
  const t = T[lang];
  $('reasons-title').textContent = verdict === 'clean' ? t.whyClean : t.why;
  const reasons = reasonsOf(c, verdict);
  if (verdict === 'clean') {
    if (v.input !== 'text')
      li(fl, v.sender_authenticated && c.from ? t.checkedSenderOk(c.from.domain) : t.checkedSenderNo,
        v.sender_authenticated ? 'checked' : 'checked unsure');
    li(fl, c.links.length ? t.checkedLinks(c.links.length) : t.checkedNoLinks, 'checked');
    li(fl, t.checkedText, 'checked');
    if (c.attachments && c.attachments.length) li(fl, t.checkedAttach(c.attachments.length), 'checked');
  }
  for (const f of reasons) li(fl, lang === 'ja' ? f.explain_ja : f.explain_en);
  if (!reasons.length && (verdict === 'phishing' || verdict === 'suspicious')) li(fl, t.noReason);
}

// 詳しく / Details: the score, every finding with its id, score and
// evidence, the learned model's features, the limits a mail hit.
function renderDetails(c, v) {
  const t = T[lang];
  const line = t.score + ' ' + v.score + ' (' + t.checksOnly + ' ' + v.checks_score + ')';
  $('score').textContent = line;
  const tb = $('finding-ids');
  tb.textContent = '';
  for (const f of c.findings) {
    const tr = el('tr');
    const id = el('td');
    id.appendChild(el('span', 'id', f.id));
    tr.appendChild(id);
    tr.appendChild(el('td', 'fscore', fmtScore(f.score)));
    const ev = el('td', 'evidence');
    textInto(ev, f.evidence || '', 'ev');
    tr.appendChild(ev);
    tb.appendChild(tr);
  }
  const mo = $('model');
  mo.textContent = '';
  mo.hidden = !c.model;
  if (c.model) {
    let m = t.model + ': ' + t.modelP(Math.round(c.model.p * 100));
    if (c.model.top.length) m += '; ' + t.modelTop + ': ';
    mo.appendChild(document.createTextNode(m));
    c.model.top.forEach((x, i) => {
      textInto(mo, (i ? ', ' : '') + x.feature + ' (' + x.weight.toFixed(2) + ')', 'feature');
    });
  }
  const lim = $('limits');
  lim.textContent = '';
  const cut = (c.limits || []).concat(c.anomalies || []);
  lim.hidden = !cut.length;
  if (!lim.hidden) {
    lim.appendChild(el('span', 'k', t.limits + ': '));
    for (const a of cut) {
      const id = typeof a === 'string' ? a : a.id || '';
      textInto(lim, id + (a.detail ? ' (' + a.detail + ')' : ''), 'limit');
      lim.appendChild(document.createTextNode(' '));
    }
  }
}

function render(data) {
  const c = data.check, v = data.view;
  $('result').hidden = false;
  document.body.classList.add('has-result');
  const vd = $('verdict');
  const verdict = shownVerdict(c);
  vd.className = 'verdict ' + verdict;
  vd.dataset.verdict = verdict;
  $('verdict-label').textContent = T[lang][verdict];
  $('answer').textContent = '';
  textInto($('answer'), answerOf(c, v, verdict), 'explain');
  $('input-note').hidden = v.input !== 'text';
  $('input-note').textContent = v.input === 'text' ? T[lang].textOnly : '';
  renderAdvice(c, v, verdict);

  const from = $('mail-from');
  from.textContent = '';
  segments(from, v.from_name, c, v);
  if (c.from) {
    from.appendChild(document.createTextNode(' <'));
    textInto(from, c.from.address, 'addr');
    from.appendChild(document.createTextNode('>'));
  }
  const subj = $('mail-subject');
  subj.textContent = '';
  segments(subj, v.subject, c, v);
  const body = $('mail-body');
  body.textContent = '';
  segments(body, v.body, c, v);

  const ll = $('links');
  ll.textContent = '';
  c.links.forEach((l, i) => {
    const bad = v.links[i] && v.links[i].findings.length > 0;
    const e = el('li', bad ? 'deceptive' : '');
    e.dataset.link = String(i);
    textInto(e, l.text || '-', 'mail-link' + (bad ? ' deceptive' : ''));
    const d = el('span', 'dest' + (bad ? ' deceptive' : ''), '→ ');
    textInto(d, l.url || l.href, 'host');
    e.appendChild(d);
    if (bad) e.appendChild(el('strong', 'tag', T[lang].deceptive));
    ll.appendChild(e);
  });
  if (!c.links.length) ll.appendChild(el('li', '', T[lang].noLinks));
  renderReasons(c, v, verdict);
  renderDetails(c, v);
  const fb = $('feedback');
  fb.dataset.label = c.verdict === 'clean' ? 'phishing' : 'genuine';
  fb.textContent = c.verdict === 'clean' ? T[lang].reportPhish : T[lang].reportFalse;
  $('feedback-status').textContent = '';
}

// The operator's loop: the mail last sent, reported as phishing (a miss)
// or genuine (a false alarm). X-Nise-Request marks it as the page's own.
async function sendFeedback() {
  if (!lastBody) return;
  const label = $('feedback').dataset.label;
  const st = $('feedback-status');
  let resp;
  try {
    resp = await fetch('/v1/feedback?' + new URLSearchParams({ label }).toString(), { method: 'POST',
      body: lastBody.bytes, headers: authHeaders({ 'Content-Type': 'message/rfc822', 'X-Nise-Request': '1' }),
      credentials: 'omit', referrerPolicy: 'no-referrer' });
  } catch (e) {
    st.textContent = String(e);
    return;
  }
  if (!resp.ok) {
    let msg = '';
    try { msg = (await resp.json()).error.message; } catch (e) { msg = ''; }
    st.textContent = 'HTTP ' + resp.status + (msg ? ': ' + msg : '');
    return;
  }
  await send(lastBody.bytes, lastBody.name);
  $('feedback-status').textContent = T[lang].feedbackDone;
}

let refused = null; // the code of the last refusal, to say it again in the other language

function hideResult() {
  last = null;
  $('result').hidden = true;
  document.body.classList.remove('has-result');
}

// A 401: the token box, focused; "Send" (or Enter) retries what was asked.
// A token already typed was wrong.
function needToken() {
  const box = $('token-box');
  const wrong = !box.hidden && $('token').value.trim() !== '';
  box.hidden = false;
  box.classList.add('asking');
  $('token').focus();
  const msg = wrong ? T[lang].badToken : T[lang].needToken;
  if (!$('campaigns').hidden) campStatus(msg, true);
  else setStatus(msg, true);
}

function retryWithToken() {
  $('token-box').classList.remove('asking');
  if (!$('campaigns').hidden) searchCampaigns();
  else if (lastBody) send(lastBody.bytes, lastBody.name);
}

async function send(bytes, name) {
  lastBody = { bytes, name };
  setStatus(T[lang].checking);
  const headers = authHeaders({ 'Content-Type': 'message/rfc822' });
  const q = new URLSearchParams({ lang, source: name || '-' });
  let resp;
  try {
    resp = await fetch('/v1/view?' + q.toString(), { method: 'POST', headers, body: bytes,
      credentials: 'omit', referrerPolicy: 'no-referrer' });
  } catch (e) {
    setStatus(String(e), true);
    return;
  }
  if (resp.status === 401) {
    needToken();
    return;
  }
  let data;
  try {
    data = await resp.json();
  } catch (e) {
    setStatus('HTTP ' + resp.status, true);
    return;
  }
  if (!resp.ok) {
    const code = data.error && data.error.code;
    if (code === 'not_a_mail' || code === 'empty_body') {
      // no verdict for what is not a mail: the answer of the last one goes too
      hideResult();
      refused = code;
      setStatus(code === 'not_a_mail' ? T[lang].notMail : T[lang].emptyMail, true);
      return;
    }
    setStatus('HTTP ' + resp.status + ': ' + ((data.error && data.error.message) || ''), true);
    return;
  }
  $('token-box').hidden = !$('token').value || $('token-box').hidden;
  refused = null;
  setStatus('');
  last = data;
  render(data);
}

// The report of the mail last sent, downloaded: never shown in this page.
async function downloadReport(format) {
  if (!lastBody) return;
  const q = new URLSearchParams({ format, lang });
  let resp;
  try {
    resp = await fetch('/v1/report?' + q.toString(), { method: 'POST', body: lastBody.bytes,
      headers: authHeaders({ 'Content-Type': 'message/rfc822' }), credentials: 'omit',
      referrerPolicy: 'no-referrer' });
  } catch (e) {
    setStatus(String(e), true);
    return;
  }
  if (!resp.ok) {
    setStatus('HTTP ' + resp.status, true);
    return;
  }
  const blob = new Blob([await resp.arrayBuffer()], { type: 'application/octet-stream' });
  const url = URL.createObjectURL(blob);
  const a = el('a');
  a.href = url;
  a.download = 'nise-report.' + format;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

// ---- the campaign view ---------------------------------------------------

function showView(v) {
  $('check-view').hidden = v !== 'check';
  $('campaigns').hidden = v !== 'campaigns';
  $('view-check').classList.toggle('on', v === 'check');
  $('view-campaigns').classList.toggle('on', v === 'campaigns');
  if (v === 'campaigns' && !campaigns) searchCampaigns();
}

function campStatus(msg, err) {
  $('camp-status').textContent = msg || '';
  $('camp-status').classList.toggle('err', !!err);
}

function itemList(cls, label, items) {
  const d = el('div', cls);
  d.appendChild(el('span', 'k', label));
  const ul = el('ul');
  for (const x of items) {
    const li = el('li');
    textInto(li, x);
    ul.appendChild(li);
  }
  d.appendChild(ul);
  return d;
}

function renderCampaigns(list) {
  const ol = $('camp-list');
  ol.textContent = '';
  campStatus(list.length ? list.length + ' ' + T[lang].campCount : T[lang].noCampaigns);
  for (const c of list) {
    const li = el('li', 'campaign');
    li.dataset.id = c.id;
    const h = el('div', 'camp-head');
    h.appendChild(el('strong', 'camp-brand', c.brand || T[lang].noBrand));
    h.appendChild(el('span', 'camp-copies', c.copies + ' ' + T[lang].copies));
    h.appendChild(el('span', 'camp-seen',
      T[lang].firstSeen + ' ' + c.first_seen + ' — ' + T[lang].lastSeen + ' ' + c.last_seen));
    h.appendChild(el('span', 'id', c.id));
    li.appendChild(h);
    li.appendChild(itemList('camp-subjects', T[lang].subjects, c.subjects));
    li.appendChild(itemList('camp-senders', T[lang].senders, c.sender_domains));
    li.appendChild(itemList('camp-links', T[lang].linkDomains, c.link_domains));
    ol.appendChild(li);
  }
}

async function searchCampaigns() {
  const brand = $('brand').value.trim();
  campStatus(T[lang].searching);
  let resp, data;
  try {
    resp = await fetch('/v1/campaigns?' + new URLSearchParams({ brand }).toString(),
      { headers: authHeaders({}), credentials: 'omit', referrerPolicy: 'no-referrer' });
    if (resp.status === 401) {
      needToken();
      return;
    }
    data = await resp.json();
  } catch (e) {
    campStatus(String(e), true);
    return;
  }
  if (!resp.ok) {
    campStatus('HTTP ' + resp.status + ': ' + ((data.error && data.error.message) || ''), true);
    return;
  }
  campaigns = data.campaigns;
  renderCampaigns(campaigns);
}

async function sendFile(file) {
  if (!file) return;
  send(new Uint8Array(await file.arrayBuffer()), file.name);
}

function init() {
  const drop = $('drop');
  drop.addEventListener('dragover', (e) => { e.preventDefault(); drop.classList.add('over'); });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (e) => {
    e.preventDefault();
    drop.classList.remove('over');
    if (e.dataTransfer && e.dataTransfer.files.length) sendFile(e.dataTransfer.files[0]);
    else if (e.dataTransfer) {
      const text = e.dataTransfer.getData('text/plain');
      if (text) send(new TextEncoder().encode(text), 'pasted');
    }
  });
  // a mail dropped outside the box must not make the browser open it
  window.addEventListener('dragover', (e) => e.preventDefault());
  window.addEventListener('drop', (e) => e.preventDefault());
  $('file').addEventListener('change', (e) => sendFile(e.target.files[0]));
  $('paste-check').addEventListener('click', () => {
    const text = $('paste').value;
    if (!text.trim()) return;
    $('paste-box').open = false; // the answer, not the pasted text, comes first
    send(new TextEncoder().encode(text), 'pasted');
  });
  $('token-send').addEventListener('click', retryWithToken);
  $('token').addEventListener('keydown', (e) => { if (e.key === 'Enter') retryWithToken(); });
  for (const b of document.querySelectorAll('.views button'))
    b.addEventListener('click', () => showView(b.dataset.view));
  $('brand-search').addEventListener('click', searchCampaigns);
  $('brand').addEventListener('keydown', (e) => { if (e.key === 'Enter') searchCampaigns(); });
  $('feedback').addEventListener('click', sendFeedback);
  for (const b of document.querySelectorAll('button.report'))
    b.addEventListener('click', () => downloadReport(b.dataset.format));
  for (const b of document.querySelectorAll('.langs button'))
    b.addEventListener('click', () => { lang = b.dataset.lang; applyLang(); });
  applyLang();
  showView('check');
}

document.addEventListener('DOMContentLoaded', init);
