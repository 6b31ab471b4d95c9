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
    paste: 'またはメールのソースを貼り付ける', check: '調べる', token: 'アクセストークン',
    asItLooks: 'メールの見た目（安全に表示）',
    safeNote: '画像は読み込まず、スクリプトは動かさず、リンクは押せません。リンクの横に本当の行き先を示します。',
    from: '差出人', subject: '件名', why: '理由', links: 'リンク（表示 → 本当の行き先）',
    todo: 'どうすればよいか',
    privacy: 'メールはこのサーバーの中で調べるだけで、外部には送りません。フィッシングと判定したメールは、キャンペーンとして件名・差出人とリンク先のドメインを記録することがあります。',
    viewCheck: 'メールを調べる', viewCampaigns: 'キャンペーン',
    report: 'レポート', reportNote: 'このメールの解説記事（リンクは無害化済み）をダウンロードします。',
    campTitle: '記録されたキャンペーン',
    campNote: 'nise がフィッシングと判定して記録したメールを、よく似たもの同士でまとめたものです。',
    brand: 'ブランド', brandHint: '例: Amazon', search: '検索', searching: '検索しています…',
    campCount: '件のキャンペーン', noCampaigns: 'キャンペーンは見つかりませんでした。',
    noBrand: '（ブランド不明）', copies: '通', firstSeen: '初確認', lastSeen: '最終確認',
    subjects: '件名', senders: '差出人ドメイン', linkDomains: 'リンク先ドメイン',
    phishing: 'フィッシング', suspicious: '要注意', clean: '問題なし', score: 'スコア',
    unchecked: '一部しか確認できませんでした', limits: '読み切れなかった理由',
    adviceUnchecked: 'このメールは大きすぎるか複雑すぎて、全部は確認できませんでした。安全とは言えません。リンクや添付ファイルを開かないでください。',
    checking: '調べています…', noFindings: '怪しい点は見つかりませんでした。', image: '画像',
    deceptive: '偽装', realDest: '本当の行き先', noLinks: 'リンクはありません。',
    adviceBad: 'リンクを開かず、添付ファイルも開かずに削除してください。アカウントを確かめたいときは、公式サイトやアプリを自分で開いて確認してください。',
    adviceClean: '怪しい点は見つかりませんでしたが、心当たりのない依頼には慎重に。',
    needToken: 'このサーバーにはアクセストークンが必要です。入力してからもう一度試してください。',
    scripts: { GREEK: 'ギリシャ文字', CYRILLIC: 'キリル文字', ARMENIAN: 'アルメニア文字', LATIN: 'ラテン文字',
      FULLWIDTH: '全角文字', MATHEMATICAL: '数学用文字', CHEROKEE: 'チェロキー文字' },
    glyph: '紛れ込んだ文字',
    feedbackTitle: '判定がおかしいとき', reportFalse: '誤判定を報告', reportPhish: 'フィッシングとして報告',
    feedbackDone: '報告を受け付けました。上の判定は報告を反映したものです。',
  },
  en: {
    tagline: 'Drop a suspicious mail here to see whether it is phishing, and why.',
    drop: 'Drop a mail (.eml) here', choose: 'Choose a file',
    paste: 'or paste the mail source', check: 'Check', token: 'Access token',
    asItLooks: 'The mail as it looks (shown safely)',
    safeNote: 'No images are loaded, no scripts run, links cannot be clicked. Each link shows where it really goes.',
    from: 'From', subject: 'Subject', why: 'Why', links: 'Links (shown text → real destination)',
    todo: 'What to do',
    privacy: 'The mail is only examined on this server and sent nowhere else. Of a mail judged phishing, the server may record the subject and the sender and link domains as a campaign.',
    viewCheck: 'Check a mail', viewCampaigns: 'Campaigns',
    report: 'Report', reportNote: 'Download an article about this mail (links defanged).',
    campTitle: 'Recorded campaigns',
    campNote: 'Mails nise judged phishing and recorded, grouped with their look-alikes.',
    brand: 'Brand', brandHint: 'e.g. Amazon', search: 'Search', searching: 'Searching…',
    campCount: 'campaign(s)', noCampaigns: 'No campaign found.',
    noBrand: '(no brand)', copies: 'copies', firstSeen: 'first seen', lastSeen: 'last seen',
    subjects: 'Subjects', senders: 'Sender domains', linkDomains: 'Link domains',
    phishing: 'PHISHING', suspicious: 'Suspicious', clean: 'Clean', score: 'score',
    unchecked: 'Only partly checked', limits: 'Not fully read',
    adviceUnchecked: 'This mail was too large or too complex to check completely, so it cannot be called safe. Do not open its links or attachments.',
    checking: 'Checking…', noFindings: 'Nothing suspicious was found.', image: 'image',
    deceptive: 'deceptive', realDest: 'really goes to', noLinks: 'No links.',
    adviceBad: 'Do not click its links or open its attachments; delete it. To check your account, open the company\'s official site or app yourself.',
    adviceClean: 'Nothing suspicious was found, but be careful with requests you did not expect.',
    needToken: 'This server needs an access token. Enter it and try again.',
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
      m.title = s.glyph;
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

function render(data) {
  const c = data.check, v = data.view;
  $('result').hidden = false;
  const vd = $('verdict');
  const verdict = shownVerdict(c);
  vd.className = 'verdict ' + verdict;
  vd.dataset.verdict = verdict;
  $('verdict-label').textContent = T[lang][verdict];
  $('score').textContent = '(' + T[lang].score + ' ' + c.score + ')';
  const lim = $('limits');
  lim.textContent = '';
  const cut = (c.limits || []).concat(c.anomalies || []);
  lim.hidden = verdict !== 'unchecked' || !cut.length;
  if (!lim.hidden) {
    lim.appendChild(el('span', 'k', T[lang].limits + ': '));
    for (const a of cut) {
      const id = typeof a === 'string' ? a : a.id || '';
      textInto(lim, id + (a.detail ? ' (' + a.detail + ')' : ''), 'limit');
      lim.appendChild(document.createTextNode(' '));
    }
  }

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

  const fl = $('findings');
  fl.textContent = '';
  for (const f of c.findings) {
    const li = el('li');
    textInto(li, lang === 'ja' ? f.explain_ja : f.explain_en, 'explain');
    li.appendChild(document.createTextNode(' '));
    li.appendChild(el('span', 'id', f.id));
    fl.appendChild(li);
  }
  if (!c.findings.length) fl.appendChild(el('li', '', T[lang].noFindings));

  const ll = $('links');
  ll.textContent = '';
  c.links.forEach((l, i) => {
    const bad = v.links[i] && v.links[i].findings.length > 0;
    const li = el('li', bad ? 'deceptive' : '');
    li.dataset.link = String(i);
    textInto(li, l.text || '-', 'mail-link' + (bad ? ' deceptive' : ''));
    const d = el('span', 'dest' + (bad ? ' deceptive' : ''), '→ ');
    textInto(d, l.url || l.href, 'host');
    li.appendChild(d);
    if (bad) li.appendChild(el('strong', 'tag', T[lang].deceptive));
    ll.appendChild(li);
  });
  if (!c.links.length) ll.appendChild(el('li', '', T[lang].noLinks));
  $('advice').textContent = verdict === 'clean' ? T[lang].adviceClean
    : verdict === 'unchecked' ? T[lang].adviceUnchecked : T[lang].adviceBad;
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
    $('token-box').hidden = false;
    setStatus(T[lang].needToken, true);
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
    setStatus('HTTP ' + resp.status + ': ' + ((data.error && data.error.message) || ''), true);
    return;
  }
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
      $('token-box').hidden = false;
      campStatus(T[lang].needToken, true);
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
    if (text.trim()) send(new TextEncoder().encode(text), 'pasted');
  });
  $('token').addEventListener('change', () => {
    if (!$('campaigns').hidden) searchCampaigns();
    else if (lastBody) send(lastBody.bytes, lastBody.name);
  });
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
