// Demo chat page: builds Zalo-shaped webhook events, signs them like Zalo (sha256 of
// app_id + body + timestamp + OA secret key) and posts them to /webhooks/zalo.
const log = document.getElementById('log');
const userInput = document.getElementById('userId');
const textInput = document.getElementById('text');
let config;
let lastSeq = 0;

// Simulator users are "demo-" + digits: the server shows the conversations of such ids only (real Zalo ids are digits).
const PREFIX = 'demo-';
const asSimulatorUser = (id) => (/^demo-[0-9A-Za-z]{1,40}$/.test(id) ? id : `${PREFIX}${id.replace(/[^0-9A-Za-z]/g, '').slice(0, 40) || newDigits()}`);
const newDigits = () => String(1000000000000000n + BigInt(Math.floor(Math.random() * 1e15)));
const stored = localStorage.getItem('sim.userId');
userInput.value = stored ? asSimulatorUser(stored) : PREFIX + newDigits();
userInput.addEventListener('change', () => {
  userInput.value = asSimulatorUser(userInput.value.trim());
  localStorage.setItem('sim.userId', userInput.value);
  log.textContent = '';
  lastSeq = 0;
});
localStorage.setItem('sim.userId', userInput.value);

function add(cls, text) {
  const div = document.createElement('div');
  div.className = `msg ${cls}`;
  div.textContent = text;
  log.appendChild(div);
  log.scrollTop = log.scrollHeight;
  return div;
}

function system(text) {
  const div = document.createElement('div');
  div.className = 'sys';
  div.textContent = text;
  log.appendChild(div);
}

async function sha256Hex(s) {
  const bytes = new TextEncoder().encode(s);
  const digest = await crypto.subtle.digest('SHA-256', bytes);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

async function post(event) {
  const body = JSON.stringify(event);
  const mac = await sha256Hex(config.appId + body + event.timestamp + config.oaSecretKey);
  const res = await fetch('/webhooks/zalo', { method: 'POST', headers: { 'content-type': 'application/json', 'x-zevent-signature': `mac=${mac}` }, body });
  if (!res.ok) system(`Webhook trả lỗi ${res.status}`);
}

function envelope(eventName) {
  return { app_id: config.appId, user_id_by_app: `app-${userInput.value}`, event_name: eventName, timestamp: String(Date.now()) };
}

function msgId() {
  return crypto.randomUUID().replace(/-/g, '');
}

async function sendText(text, shown = text) {
  if (shown) add('user', shown);
  await post({ ...envelope('user_send_text'), sender: { id: userInput.value }, recipient: { id: config.oaId }, message: { msg_id: msgId(), text } });
}

function render(m) {
  const message = m.body.message || {};
  const payload = message.attachment && message.attachment.payload ? message.attachment.payload : {};
  const div = add('bot', message.text || '');
  if (payload.template_type === 'media') {
    for (const el of payload.elements || []) {
      const img = document.createElement('img');
      img.src = el.url;
      img.alt = 'ảnh';
      div.appendChild(img);
    }
  }
  if (payload.template_type === 'request_user_info') {
    const el = (payload.elements || [])[0] || {};
    div.textContent = `${el.title || ''}\n${el.subtitle || ''}`;
    const box = document.createElement('div');
    box.className = 'buttons';
    const b = document.createElement('button');
    b.textContent = 'Chia sẻ thông tin (mô phỏng)';
    b.onclick = sendInfo;
    box.appendChild(b);
    div.appendChild(box);
  }
  if (Array.isArray(payload.buttons) && payload.buttons.length > 0) {
    const box = document.createElement('div');
    box.className = 'buttons';
    for (const btn of payload.buttons) {
      if (btn.type === 'oa.open.url' || btn.type === 'oa.open.phone') {
        const a = document.createElement('a');
        a.textContent = btn.title;
        a.href = btn.type === 'oa.open.url' ? btn.payload.url : `tel:${btn.payload.phone_code}`;
        a.target = '_blank';
        a.rel = 'noopener';
        box.appendChild(a);
      } else {
        const b = document.createElement('button');
        b.textContent = btn.title;
        b.onclick = () => sendText(btn.payload, btn.type === 'oa.query.show' ? btn.payload : `[${btn.title}]`);
        box.appendChild(b);
      }
    }
    div.appendChild(box);
  }
}

async function poll() {
  try {
    const res = await fetch(`/simulator/api/messages?userId=${encodeURIComponent(userInput.value)}&after=${lastSeq}`);
    const data = await res.json();
    for (const m of data.messages) {
      lastSeq = Math.max(lastSeq, m.seq);
      render(m);
    }
  } catch {
    /* server restarting: try again */
  }
  setTimeout(poll, 700);
}

async function sendInfo() {
  add('user', '[Đã chia sẻ thông tin]');
  await post({ ...envelope('user_submit_info'), sender: { id: userInput.value }, recipient: { id: config.oaId }, info: { name: 'Nguyễn Văn Dân', phone: '84912345678', address: 'Ấp 3', ward: 'Phường Phú Lợi', city: 'Thành phố Cần Thơ' } });
}

document.getElementById('composer').addEventListener('submit', async (e) => {
  e.preventDefault();
  const text = textInput.value.trim();
  if (!text) return;
  textInput.value = '';
  await sendText(text);
});
document.getElementById('follow').onclick = async () => {
  system('Bạn đã quan tâm OA');
  await post({ ...envelope('follow'), oa_id: config.oaId, follower: { id: userInput.value }, source: 'oa_profile' });
};
document.getElementById('image').onclick = async () => {
  add('user', '[Ảnh]');
  await post({ ...envelope('user_send_image'), sender: { id: userInput.value }, recipient: { id: config.oaId }, message: { msg_id: msgId(), text: '', attachments: [{ type: 'image', payload: { url: 'https://example.invalid/anh-mau.jpg', thumbnail: 'https://example.invalid/anh-mau-nho.jpg' } }] } });
};
document.getElementById('info').onclick = sendInfo;

config = await (await fetch('/simulator/api/config')).json();
system('Gõ câu hỏi như một người dân, hoặc bấm "Quan tâm OA".');
poll();
