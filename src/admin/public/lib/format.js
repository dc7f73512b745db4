// Vietnamese labels and date formats of the console (the server speaks English codes; people read these).

export const ROLE_LABELS = {
  admin: 'Quản trị',
  editor: 'Biên tập (PV01)',
  handler: 'Xử lý phản ánh',
  viewer: 'Chỉ xem',
};

export const PETITION_STATUS = {
  received: 'Đã tiếp nhận',
  processing: 'Đang xử lý',
  answered: 'Đã trả lời',
  forwarded: 'Đã chuyển cơ quan có thẩm quyền',
  rejected: 'Không đủ điều kiện xử lý',
};

/** Allowed next statuses (the server enforces the same rule; closed petitions stay closed). */
export const PETITION_NEXT = {
  received: ['received', 'processing', 'answered', 'forwarded', 'rejected'],
  processing: ['processing', 'answered', 'forwarded', 'rejected'],
  answered: [],
  forwarded: [],
  rejected: [],
};

export const PETITION_KIND = { phan_anh: 'Phản ánh', kien_nghi: 'Kiến nghị' };
export const PETITION_TOPIC = { procedure: 'Thủ tục hành chính', conduct: 'Việc làm của cán bộ', other: 'Vấn đề khác' };
export const LANGUAGE = { vi: 'Tiếng Việt', km: 'Tiếng Khmer', en: 'Tiếng Anh' };

export const POST_STATUS = {
  draft: 'Bản nháp',
  scheduled: 'Đã lên lịch',
  sending: 'Đang gửi',
  sent: 'Đã gửi',
  partially_sent: 'Gửi một phần',
  failed: 'Gửi lỗi',
  missed: 'Lỡ lịch',
  cancelled: 'Đã hủy',
};
export const POST_MODE = { message: 'Tin nhắn', article: 'Bài viết (broadcast)' };
export const DELIVERY = {
  sent: 'Gửi thành công',
  failed: 'Lỗi',
  out_of_window: 'Ngoài 7 ngày tương tác',
  unknown: 'Chưa rõ',
  pending: 'Đang chờ',
  skipped: 'Bỏ qua',
  cancelled: 'Đã hủy',
};

export const AUDIT_ACTION = {
  'login.success': 'Đăng nhập',
  'login.failure': 'Đăng nhập sai',
  'login.locked': 'Đăng nhập khi đang bị khóa',
  logout: 'Đăng xuất',
  'petition.status': 'Đổi trạng thái phản ánh',
  'petition.export': 'Xuất danh sách phản ánh',
  'post.create': 'Tạo bài đăng',
  'post.update': 'Sửa bài đăng',
  'post.cancel': 'Hủy bài đăng',
  'post.preview': 'Gửi thử bài đăng',
  'plan.import': 'Nhập kế hoạch',
  'followers.sync': 'Đồng bộ người quan tâm',
  'followers.tag': 'Gắn nhãn người quan tâm',
  'followers.untag': 'Bỏ nhãn người quan tâm',
  'quiz.export': 'Xuất kết quả cuộc thi',
  'report.export': 'Tải báo cáo',
  'account.create': 'Tạo tài khoản',
  'account.update': 'Sửa tài khoản',
  'account.password': 'Đổi mật khẩu',
  'account.password.failure': 'Đổi mật khẩu: sai mật khẩu hiện tại',
  'account.password.locked': 'Đổi mật khẩu khi đang bị khóa',
  'account.unlock': 'Mở khóa đăng nhập',
  'account.zalo.add': 'Đăng ký Zalo user id của mình',
  'account.zalo.remove': 'Xóa Zalo user id của mình',
  'access.denied': 'Bị từ chối (không đủ quyền)',
};

export const label = (map, key) => (key in map ? map[key] : key);

const formatters = new Map();
function formatter(timeZone, withTime) {
  const key = `${timeZone}|${withTime}`;
  if (!formatters.has(key)) {
    formatters.set(
      key,
      new Intl.DateTimeFormat('en-GB', {
        timeZone,
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        ...(withTime ? { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' } : {}),
      }),
    );
  }
  return formatters.get(key);
}

/** ISO instant → "dd/mm/yyyy HH:mm" in the unit's time zone; "—" when empty. */
export function dateTime(iso, timeZone) {
  if (!iso) return '—';
  const parts = Object.fromEntries(formatter(timeZone, true).formatToParts(new Date(iso)).map((p) => [p.type, p.value]));
  return `${parts.day}/${parts.month}/${parts.year} ${parts.hour}:${parts.minute}`;
}

/** ISO instant → "dd/mm/yyyy". */
export function date(iso, timeZone) {
  if (!iso) return '—';
  const parts = Object.fromEntries(formatter(timeZone, false).formatToParts(new Date(iso)).map((p) => [p.type, p.value]));
  return `${parts.day}/${parts.month}/${parts.year}`;
}

/** "2025-03-10" → "10/03/2025". */
export const isoDay = (day) => (day ? day.split('-').reverse().join('/') : '—');

/** Today's local date (YYYY-MM-DD) in a time zone. */
export function today(timeZone) {
  const parts = Object.fromEntries(formatter(timeZone, false).formatToParts(new Date()).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}`;
}

/** "+07:00" from minutes east of UTC. */
export function offsetText(minutes) {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** How long ago, in words ("5 phút trước"). */
export function ago(iso) {
  if (!iso) return 'chưa có';
  const seconds = Math.round((Date.now() - new Date(iso).getTime()) / 1000);
  if (seconds < 60) return 'vừa xong';
  if (seconds < 3600) return `${Math.floor(seconds / 60)} phút trước`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)} giờ trước`;
  return `${Math.floor(seconds / 86400)} ngày trước`;
}

export const number = (n) => (n === null || n === undefined ? '—' : new Intl.NumberFormat('vi-VN').format(n));
