// The words around a place name in a question, folded (no accents) as normalizeText leaves them: the type words
// ("phường", "huyện"…), what anchors an untyped name ("ở", "công an"…), the words asking where, and what carries no
// meaning of its own. Everything is matched on whole tokens.

export type CommuneType = 'phuong' | 'xa' | 'thi tran';
export type DistrictType = 'thanh pho' | 'thi xa' | 'huyen' | 'quan';
export type PlaceType = CommuneType | DistrictType | 'tinh';

/** Type words, the two-word ones first; the value is the type. */
export const TYPE_WORDS: [string, PlaceType][] = [
  ['thi tran', 'thi tran'],
  ['thi xa', 'thi xa'],
  ['thanh pho', 'thanh pho'],
  ['phuong', 'phuong'],
  ['xa', 'xa'],
  ['huyen', 'huyen'],
  ['quan', 'quan'],
  ['tinh', 'tinh'],
];

/** What everyday writing shortens ("p5", "tt my xuyen", "tp soc trang"), token by token. */
export const SHORT_TYPES: Record<string, string> = { p: 'phuong', x: 'xa', tt: 'thi tran', ttr: 'thi tran', tx: 'thi xa', tp: 'thanh pho', q: 'quan', h: 'huyen', kv: 'khu vuc' };

/** English type words, written after the name ("Cai Khe ward", "the old Phung Hiep district"). */
export const ENGLISH_TYPES: Record<string, PlaceType> = { ward: 'phuong', commune: 'xa', town: 'thi tran', district: 'huyen', city: 'thanh pho', province: 'tinh' };

export const COMMUNE_TYPES: readonly PlaceType[] = ['phuong', 'xa', 'thi tran'];
export const DISTRICT_TYPES: readonly PlaceType[] = ['thanh pho', 'thi xa', 'huyen', 'quan'];

/** Words naming a hamlet, street or landmark: the name after them is not a commune ("ấp Phú Lợi xã Long Phú"). */
export const HAMLET_WORDS = new Set(['ap', 'khom', 'thon', 'xom', 'to', 'duong', 'chua', 'cau', 'benh vien', 'ben xe', 'khu vuc', 'khu pho', 'village', 'street', 'hamlet']);

/** Words after which an untyped name is a place ("tôi ở Đại Tâm", "công an Phú Lợi", "chợ Đại Ngãi", "in Vi Thanh"). */
export const ANCHORS = new Set([
  'cong an', 'ca', 'o', 'tai', 'thuoc', 've', 'cho', 'nhap', 'vao', 'vo', 'voi', 'hay', 'hoac', 'ubnd', 'dia ban', 'khu vuc',
  'in', 'at', 'of', 'for', 'near', 'covers', 'handles', 'police',
]);

/** Unit names that are also everyday words ("an ninh" is security, "vĩnh viễn" forever): never a place by position alone. */
export const COMMON_WORD_NAMES = new Set([
  'an ninh', 'vinh vien', 'tan tien', 'luong tam', 'truong thanh', 'dong thuan', 'thanh xuan',
  'hung loi', 'an binh', 'thanh hoa', 'khanh hoa', 'tan binh', 'hoa binh', 'thuan loi', 'phu my', 'an hoa', 'tan phu', 'long hung', 'trung hung',
  'thanh tri', 'hoa an', 'tan hoa', 'thuan hoa', 'an lac', 'dai thanh', 'tan thanh', 'tan long', 'long binh', 'phuong binh', 'dong hiep',
]);

/** Said after a name: the old one ("cũ") or the new one ("mới"). */
export const OLD_WORDS = new Set(['cu', 'old', 'truoc', 'former']);
export const NEW_WORDS = new Set(['moi', 'new', 'hien nay', 'bay gio']);

/** Asking where, how to reach, or what a place became. */
export const WHERE_PHRASES = [
  'o dau', 've dau', 'nam dau', 'o cho cong an', 'thuoc cong an', 'thuoc xa', 'thuoc phuong', 'di dau', 'den dau', 'tai dau', 'thuoc dau', 'dau vay', 'cho nao', 'noi nao', 'ben nao', 'phia nao', 'huong nao',
  'duong nao', 'nam duong', 'o duong', 'duong gi', 'cho cu', 'dia chi', 'dia diem', 'tru so', 'so dien thoai', 'sdt', 'so dt', 'xin so', 'hotline',
  'lien he', 'lien lac', 'duong xuong', 'duong toi', 'duong den', 'duong di', 'duong ve', 'chi duong', 'ban do', 'dinh vi', 'map', 'gan cho', 'gan nhat',
  'nam o', 'nam gan', 'nay la', 'gio la', 'bay gio la', 'sap nhap', 'nhap vao', 'nhap ve', 'nhap vo', 'nhap voi', 'nhap lai', 'gop voi', 'gop lai',
  'gop vao', 'doi ten', 'ten moi', 'ten gi', 'ten la gi', 'xa nao', 'phuong nao', 'xa gi', 'phuong gi', 'cong an nao', 'don nao', 'may xa',
  'may phuong', 'may cong an', 'gom nhung', 'chia ra', 'doi ve', 'doi tru so', 'chuyen tru so', 'gio lam viec', 'mo cua',
  'where', 'address', 'which police', 'which ward', 'which commune', 'which station', 'which office', 'station near', 'covers', 'handles',
  'responsible', 'belong', 'phone number', 'located', 'nearest', 'directions',
];

/** Where in so many words: what a procedure question must say for the place to be its answer. */
export const WHERE_STRICT = ['o dau', 'cho nao', 'noi nao', 'tai dau', 'di dau', 'den dau', 've dau', 'nam dau', 'duong nao', 'cong an nao', 'xa nao', 'phuong nao', 'where'];

/** Words about the police: a place in such a message is the police's place. */
export const POLICE_WORDS = ['cong an', 'don', 'tru so', 'police', 'station', 'csgt'];

/** "Tôi ở …": the citizen says where they live (the answer names their unit). */
export const LIVE_PHRASES = ['toi o', 'tui o', 'em o', 'e o', 'minh o', 'con o', 'nha o', 'song o', 'o tai', 'live in', 'lives in', 'living in'];

/** "Tôi ở xã khác": the citizen's remembered commune is not theirs (short messages only). */
export const CHANGE_PHRASES = [
  'toi o xa khac', 'toi o phuong khac', 'tui o xa khac', 'tui o phuong khac', 'em o xa khac', 'em o phuong khac', 'e o xa khac', 'e o phuong khac',
  'minh o xa khac', 'minh o phuong khac', 'doi xa cua toi', 'doi phuong cua toi', 'doi noi o', 'doi cho o', 'i live elsewhere',
  'i live in another commune', 'i live in another ward',
];

/** Words a bare unit name may come with ("công an xã Lai Hòa ạ", "phường 5 Sóc Trăng cũ"). */
export const FILLER = new Set([
  'cong', 'an', 'ca', 'ad', 'admin', 'a', 'ak', 'ah', 'ha', 'oi', 'vay', 'v', 'z', 'dzay', 'nhe', 'nha', 'cho', 'hoi', 'xin', 'da', 'd', 'cu', 'moi', 'do',
  'gio', 'bay', 'hien', 'nay', 'the', 'police', 'station', 'office', 'please', 'of', 'is', 'in', 'khong', 'ko', 'k', 'em', 'e', 'anh', 'chi', 'minh', 'toi', 'tui',
  'o', 'tru', 'so', 'don', 'ban', 'cam', 'on', 'voi', 'nhieu',
]);

/** Tokens that end a typed name that is not known ("xã Cái Cao cũ giờ…": the name is "cai cao"). */
export const NAME_STOP = new Set([...FILLER, 'nao', 'gi', 'khac', 'roi', 'la', 'thuoc', 'nhap', 'sap', 'giu', 'dau', 'nam', 'co', 'cac', 'nhung', 'may', 'cua', 've', 'tai', 'hay', 'va']);

/** Words that never take part in a one-letter typo match (they are vocabulary, not names). */
export const NOT_FUZZY = new Set(['phuong', 'xa', 'thi', 'tran', 'huyen', 'quan', 'pho', 'tinh', 'ap', 'khom', 'cong', 'o', 'dau', 'nao', 'tai', 'thuoc', 'cu', 'moi', 'gio', 'la', 'so', 'tru']);

/** Words naming a department's office, before its name ("phòng xuất nhập cảnh", "đội PCCC", "trụ sở công an thành phố"). */
export const OFFICE_WORDS = ['phong', 'doi', 'tru so', 'van phong', 'co quan', 'tram', 'office'];

/** Khmer words replaced by their Vietnamese counterparts before folding (Khmer writes them without spaces). */
export const KHMER_WORDS: [string, string][] = [
  ['នៅត្រង់ណា', ' o dau '],
  ['នៅឯណា', ' o dau '],
  ['នៅណា', ' o dau '],
  ['នៅជិត', ' nam gan '],
  ['អាសយដ្ឋាន', ' dia chi '],
  ['លេខទូរស័ព្ទ', ' so dien thoai '],
  ['សង្កាត់', ' phuong '],
  ['ឃុំ', ' xa '],
  ['ស្រុក', ' huyen '],
  ['ខេត្ត', ' tinh '],
  ['ភូមិ', ' ap '],
  ['ចាស់', ' cu '],
  ['ថ្មី', ' moi '],
  ['ប៉ូលិស', ' cong an '],
  ['ខ្ញុំនៅ', ' toi o '],
  ['នៅ', ' o '],
  ['ណា', ' nao '],
];
