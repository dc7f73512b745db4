import { describe, expect, it } from 'vitest';
import { createUnderstander, findPetitionCode } from '../../src/bot/understand.ts';
import { loadProcedureFiles } from '../../src/procedures/content-loader.ts';
import { createProcedureIndex } from '../../src/procedures/search.ts';
import { loadLexicon } from '../../src/text/lexicon.ts';
import { loadIntentModel } from '../../src/classifier/intent-model.ts';

const intentModel = await loadIntentModel('content');

const lexicon = loadLexicon('content');
const index = createProcedureIndex(loadProcedureFiles('content/procedures').procedures, lexicon);
const { understand } = createUnderstander(lexicon, index, intentModel);
const intent = (q: string) => understand(q).intent;

describe('intent order', () => {
  it('puts emergencies first, with the right number leading', () => {
    expect(understand('cháy nhà kế bên rồi').emergencyNumbers[0]).toBe('114');
    expect(understand('co nguoi bi tai nan nam giua duong').emergencyNumbers[0]).toBe('115');
    expect(understand('có cướp giật ngay chợ').emergencyNumbers[0]).toBe('113');
    expect(understand('cuop giat dien thoai').emergencyNumbers).toEqual(['113']);
    expect(understand('té xuống sông đang chìm').emergencyNumbers[0]).toBe('114');
    // An emergency wins over every later intent in the same message.
    expect(intent('cháy nhà rồi, tôi muốn phản ánh công an tới trễ')).toBe('emergency');
    expect(intent('có người đâm chém, tố cáo')).toBe('emergency');
  });

  it('does not take fire-safety paperwork or past events for emergencies', () => {
    expect(intent('thẩm duyệt phòng cháy chữa cháy cho xưởng may')).toBe('procedure');
    expect(intent('nghiệm thu pccc cho quán karaoke')).toBe('procedure');
    expect(intent('nhà bị cháy hồi năm ngoái, giờ xin nghiệm thu PCCC cho quán')).toBe('procedure');
    expect(intent('xe đang chạy thì bị phạt, nộp phạt ở đâu')).not.toBe('emergency');
  });

  it('routes crime tips, complaints and petitions apart', () => {
    expect(intent('báo tin có nhóm người đánh bạc trong xóm')).toBe('crime_report');
    expect(intent('quán karaoke hát tới khuya không ai ngủ được')).toBe('crime_report');
    expect(intent('tố cáo cán bộ đòi tiền khi làm hồ sơ')).toBe('complaint');
    // The catalogue has the complaints procedure itself (issue 14): its card, or the complaint reply, both say how.
    const complaint = understand('khiếu nại quyết định xử phạt');
    expect(complaint.intent === 'complaint' || complaint.hits[0]?.id === 'giai-quyet-khieu-nai-doi-voi-cong-an').toBe(true);
    expect(intent('kiến nghị kéo dài giờ tiếp dân')).toBe('petition');
    expect(intent('góp ý thủ tục tách hộ còn rườm rà')).toBe('petition');
  });

  it('finds petition codes however they are typed', () => {
    expect(understand('tra cứu phản ánh PA-2025-000123').petitionCode).toBe('PA-2025-000123');
    expect(intent('tra cứu phản ánh PA-2025-000123')).toBe('petition_status');
    expect(findPetitionCode('pa 2026 42')).toBe('PA-2026-000042');
    expect(findPetitionCode('pa2026000311')).toBe('PA-2026-000311');
    expect(understand('PA-២០២៥-០០០១២៣').petitionCode).toBe('PA-2025-000123');
  });

  it('answers greetings and menu requests, but not when a procedure is asked too', () => {
    expect(intent('xin chào')).toBe('greeting');
    expect(intent('cảm ơn nhiều nha')).toBe('greeting');
    expect(intent('bạn giúp được gì cho tôi')).toBe('menu');
    expect(intent('chào ad, cho hỏi làm hộ chiếu ở đâu')).toBe('procedure');
  });

  it('sends other agencies\' business away, naming the place', () => {
    const u = understand('thủ tục đăng ký kết hôn');
    expect(u.intent).toBe('out_of_scope');
    expect(u.outOfScopeWhere).toMatch(/Ủy ban nhân dân/);
    expect(intent('làm sổ đỏ ở đâu')).toBe('out_of_scope');
    expect(intent('giá vàng hôm nay')).toBe('out_of_scope');
    // "thuê trọ" (rent) is not "thuế" (tax).
    expect(intent('đăng ký tạm trú cho người thuê trọ')).toBe('procedure');
    // A police word keeps the question in scope.
    expect(intent('sửa quê quán trên vneid cho khớp giấy khai sinh')).not.toBe('out_of_scope');
  });

  it('asks back when several procedures fit, answers when one name is given', () => {
    const u = understand('cà vẹt');
    expect(u.intent).toBe('clarify');
    expect(u.hits.length).toBeGreaterThan(1);
    expect(u.hits.length).toBeLessThanOrEqual(3);
    expect(intent('mất cà vẹt xe máy làm lại sao')).toBe('procedure');
  });

  it('says unknown for gibberish', () => {
    expect(intent('asdfgh')).toBe('unknown');
    expect(intent('??')).toBe('unknown');
  });
});

describe('procedure search', () => {
  const top = (q: string) => understand(q).hits[0]?.id;
  it('finds procedures however citizens type', () => {
    expect(top('lam cccd can j')).toBe('cap-cap-doi-cap-lai-the-can-cuoc');
    expect(top('dăng kí tạm chú')).toBe('dang-ky-tam-tru');
    expect(top('mất cà vẹt xe làm lại sao')).toBe('cap-doi-cap-lai-dang-ky-xe');
    expect(top('nhap ho khau cho vo')).toBe('dang-ky-thuong-tru');
    expect(top('doi bang lai xe het han')).toBe('doi-cap-lai-giay-phep-lai-xe');
    expect(top('xin lý lịch tư pháp số 2')).toBe('cap-phieu-ly-lich-tu-phap');
    expect(top('mở karaoke cần giấy an ninh trật tự')).toBe('cap-giay-chung-nhan-antt');
  });

  it('tolerates one typo in longer words', () => {
    expect(top('lam the can cuot lan dau')).toBe('cap-cap-doi-cap-lai-the-can-cuoc');
    expect(top('dang ky tam truu')).toBe('dang-ky-tam-tru');
  });

  it('understands English and Khmer', () => {
    expect(top('How do I apply for a passport?')).toBe('cap-ho-chieu');
    expect(top('I lost my ID card')).toBe('cap-cap-doi-cap-lai-the-can-cuoc');
    expect(top('ខ្ញុំបាត់អត្តសញ្ញាណប័ណ្ណ')).toBe('cap-cap-doi-cap-lai-the-can-cuoc');
  });

  it('picks the under-14 card when a child\'s age is given', () => {
    expect(top('làm căn cước cho bé 6 tuổi được không')).toBe('cap-the-can-cuoc-duoi-14');
  });
});

describe('contact questions', () => {
  it('points to the commune police and 113 instead of guessing a procedure', () => {
    const u = understand('số điện thoại công an xã');
    expect(u).toMatchObject({ intent: 'menu', request: 'contact' });
    expect(intent('đường dây nóng tố giác ma túy')).toBe('crime_report');
  });
});
