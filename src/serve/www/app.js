// SPDX-License-Identifier: MIT
// nise page: sends a mail to POST /v1/view and shows the answer.
// Everything from the mail goes into the page through textContent only:
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
    privacy: 'メールはこのサーバーの中で調べるだけで、保存も外部への送信もしません。',
    phishing: 'フィッシング', suspicious: '要注意', clean: '問題なし', score: 'スコア',
    checking: '調べています…', noFindings: '怪しい点は見つかりませんでした。', image: '画像',
    deceptive: '偽装', realDest: '本当の行き先', noLinks: 'リンクはありません。',
    adviceBad: 'リンクを開かず、添付ファイルも開かずに削除してください。アカウントを確かめたいときは、公式サイトやアプリを自分で開いて確認してください。',
    adviceClean: '怪しい点は見つかりませんでしたが、心当たりのない依頼には慎重に。',
    needToken: 'このサーバーにはアクセストークンが必要です。入力してからもう一度試してください。',
    scripts: { GREEK: 'ギリシャ文字', CYRILLIC: 'キリル文字', ARMENIAN: 'アルメニア文字', LATIN: 'ラテン文字',
      FULLWIDTH: '全角文字', MATHEMATICAL: '数学用文字', CHEROKEE: 'チェロキー文字' },
    glyph: '紛れ込んだ文字',
  },
  en: {
    tagline: 'Drop a suspicious mail here to see whether it is phishing, and why.',
    drop: 'Drop a mail (.eml) here', choose: 'Choose a file',
    paste: 'or paste the mail source', check: 'Check', token: 'Access token',
    asItLooks: 'The mail as it looks (shown safely)',
    safeNote: 'No images are loaded, no scripts run, links cannot be clicked. Each link shows where it really goes.',
    from: 'From', subject: 'Subject', why: 'Why', links: 'Links (shown text → real destination)',
    todo: 'What to do',
    privacy: 'The mail is only examined on this server: it is not stored or sent anywhere.',
    phishing: 'PHISHING', suspicious: 'Suspicious', clean: 'Clean', score: 'score',
    checking: 'Checking…', noFindings: 'Nothing suspicious was found.', image: 'image',
    deceptive: 'deceptive', realDest: 'really goes to', noLinks: 'No links.',
    adviceBad: 'Do not click its links or open its attachments; delete it. To check your account, open the company\'s official site or app yourself.',
    adviceClean: 'Nothing suspicious was found, but be careful with requests you did not expect.',
    needToken: 'This server needs an access token. Enter it and try again.',
    scripts: { GREEK: 'Greek', CYRILLIC: 'Cyrillic', ARMENIAN: 'Armenian', LATIN: 'Latin',
      FULLWIDTH: 'full-width', MATHEMATICAL: 'mathematical', CHEROKEE: 'Cherokee' },
    glyph: 'look-alike letter',
  },
};

let lang = (navigator.language || '').startsWith('ja') ? 'ja' : 'en';
let last = null;      // the last answer of /v1/view
let lastBody = null;  // and what was sent, to retry with a token

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
  $('lang-ja').classList.toggle('on', lang === 'ja');
  $('lang-en').classList.toggle('on', lang === 'en');
  if (last) render(last);
}

function scriptOf(note) {
  const m = /^U\+[0-9A-F]+ ([A-Z]+)/.exec(note || '');
  return (m && T[lang].scripts[m[1]]) || T[lang].glyph;
}

function linkHost(l) {
  return l.host || l.url || l.href || '';
}

// One segment list (subject, name or body) into parent.
function segments(parent, segs, check, view) {
  let openLink = -1, linkEl = null;
  const closeLink = () => {
    if (openLink < 0) return;
    const l = check.links[openLink];
    const bad = view.links[openLink] && view.links[openLink].findings.length > 0;
    const d = el('span', 'dest' + (bad ? ' deceptive' : ''), '→ ' + linkHost(l));
    d.title = T[lang].realDest + ': ' + (l.url || l.href);
    d.dataset.link = String(openLink);
    parent.appendChild(d);
    openLink = -1;
    linkEl = null;
  };
  for (const s of segs) {
    const link = s.link === undefined ? -1 : s.link;
    if (link !== openLink) {
      closeLink();
      if (link >= 0) {
        const bad = view.links[link] && view.links[link].findings.length > 0;
        linkEl = el('span', 'mail-link' + (bad ? ' deceptive' : ''));
        linkEl.dataset.link = String(link);
        linkEl.setAttribute('role', 'link');
        linkEl.setAttribute('aria-disabled', 'true');
        parent.appendChild(linkEl);
        openLink = link;
      }
    }
    const into = linkEl || parent;
    if (s.br) {
      closeLink();
      parent.appendChild(document.createElement('br'));
    } else if (s.image !== undefined) {
      into.appendChild(el('span', 'img', '[' + T[lang].image + (s.image ? ': ' + s.image : '') + ']'));
    } else if (s.glyph) {
      const m = el('mark', 'glyph', s.text);
      m.title = s.glyph;
      m.dataset.glyph = s.glyph;
      into.appendChild(m);
      into.appendChild(el('span', 'glyph-note', scriptOf(s.glyph) + ' ' + s.glyph.split(' ')[0]));
    } else {
      into.appendChild(document.createTextNode(s.text));
    }
  }
  closeLink();
}

function render(data) {
  const c = data.check, v = data.view;
  $('result').hidden = false;
  const vd = $('verdict');
  vd.className = 'verdict ' + c.verdict;
  vd.dataset.verdict = c.verdict;
  $('verdict-label').textContent = T[lang][c.verdict];
  $('score').textContent = '(' + T[lang].score + ' ' + c.score + ')';

  const from = $('mail-from');
  from.textContent = '';
  segments(from, v.from_name, c, v);
  if (c.from) from.appendChild(el('span', 'addr', ' <' + c.from.address + '>'));
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
    li.appendChild(el('span', 'explain', lang === 'ja' ? f.explain_ja : f.explain_en));
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
    li.appendChild(el('span', 'mail-link' + (bad ? ' deceptive' : ''), l.text || '-'));
    li.appendChild(el('span', 'dest' + (bad ? ' deceptive' : ''), '→ ' + (l.url || l.href)));
    if (bad) li.appendChild(el('strong', 'tag', T[lang].deceptive));
    ll.appendChild(li);
  });
  if (!c.links.length) ll.appendChild(el('li', '', T[lang].noLinks));
  $('advice').textContent = c.verdict === 'clean' ? T[lang].adviceClean : T[lang].adviceBad;
}

async function send(bytes, name) {
  lastBody = { bytes, name };
  setStatus(T[lang].checking);
  const headers = { 'Content-Type': 'message/rfc822' };
  const tok = $('token').value.trim();
  if (tok) headers.Authorization = 'Bearer ' + tok;
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
  $('token').addEventListener('change', () => { if (lastBody) send(lastBody.bytes, lastBody.name); });
  for (const b of document.querySelectorAll('.langs button'))
    b.addEventListener('click', () => { lang = b.dataset.lang; applyLang(); });
  applyLang();
}

document.addEventListener('DOMContentLoaded', init);
