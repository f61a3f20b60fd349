import type { FastifyRequest } from 'fastify';

export type Locale = 'zh-CN' | 'en';

/** Server-side messages. Keys are stable; texts are what users read. */
const messages: Record<string, { 'zh-CN': string; en: string }> = {
  // generic
  bad_request: { 'zh-CN': '请求参数有误', en: 'The request is invalid' },
  invalid_json: { 'zh-CN': '请求体不是合法的 JSON', en: 'The request body is not valid JSON' },
  validation_failed: { 'zh-CN': '提交的数据有误，请检查标出的字段', en: 'Some fields are invalid' },
  not_found: { 'zh-CN': '未找到该资源', en: 'Not found' },
  route_not_found: { 'zh-CN': '接口不存在', en: 'No such endpoint' },
  internal: { 'zh-CN': '服务器内部错误，请稍后再试（请求编号 {requestId}）', en: 'Internal server error; please retry later (request {requestId})' },
  payload_too_large: { 'zh-CN': '提交的数据过大', en: 'The request body is too large' },
  unsupported_media_type: { 'zh-CN': '不支持的内容类型', en: 'Unsupported content type' },
  conflict: { 'zh-CN': '数据冲突', en: 'Conflict' },
  // auth
  unauthenticated: { 'zh-CN': '请先登录', en: 'Please sign in' },
  forbidden: { 'zh-CN': '没有权限执行此操作', en: 'You do not have permission to do this' },
  out_of_scope: { 'zh-CN': '超出您的数据管辖范围', en: 'This record is outside your data scope' },
  csrf: { 'zh-CN': '安全校验失败，请刷新页面后重试', en: 'Security check failed; reload the page and retry' },
  bad_credentials: { 'zh-CN': '用户名或密码错误', en: 'Wrong username or password' },
  account_locked: { 'zh-CN': '登录失败次数过多，账号已锁定，请于 {minutes} 分钟后再试', en: 'Too many failed sign-ins; the account is locked for {minutes} more minutes' },
  account_disabled: { 'zh-CN': '账号已停用', en: 'This account is disabled' },
  wrong_password: { 'zh-CN': '原密码错误', en: 'The current password is wrong' },
  // field messages
  required: { 'zh-CN': '必填', en: 'required' },
  invalid_type: { 'zh-CN': '类型不正确，应为{expected}', en: 'must be {expected}' },
  too_short: { 'zh-CN': '长度不能少于 {minimum}', en: 'must be at least {minimum} long' },
  too_long: { 'zh-CN': '长度不能超过 {maximum}', en: 'must be at most {maximum} long' },
  too_small: { 'zh-CN': '不能小于 {minimum}', en: 'must be at least {minimum}' },
  too_big: { 'zh-CN': '不能大于 {maximum}', en: 'must be at most {maximum}' },
  invalid_value: { 'zh-CN': '取值不在允许范围内', en: 'is not an allowed value' },
  invalid_format: { 'zh-CN': '格式不正确', en: 'has the wrong format' },
  unknown_field: { 'zh-CN': '不允许的字段', en: 'is not allowed' },
  invalid: { 'zh-CN': '不合法', en: 'is invalid' },
  empty_patch: { 'zh-CN': '没有要修改的字段', en: 'nothing to change' },
  invalid_id_number: { 'zh-CN': '身份证号不合法（18 位，校验位须正确）', en: 'is not a valid 18-digit ID number (check digit)' },
  invalid_phone: { 'zh-CN': '手机号不合法（11 位大陆手机号）', en: 'is not a valid mainland mobile number' },
  weak_password: { 'zh-CN': '密码至少 8 位，且须同时包含字母和数字', en: 'must be at least 8 characters with letters and digits' },
  taken: { 'zh-CN': '已被占用', en: 'is already taken' },
  no_such_region: { 'zh-CN': '区域不存在', en: 'no such region' },
  no_such_role: { 'zh-CN': '角色不存在', en: 'no such role' },
  no_such_person: { 'zh-CN': '人员不存在', en: 'no such person' },
  no_such_org: { 'zh-CN': '组织不存在', en: 'no such organisation' },
  no_such_household: { 'zh-CN': '户不存在', en: 'no such household' },
  bad_child_level: { 'zh-CN': '下级区域层级应为 {expected}', en: 'a child here must be a {expected}' },
  room_only: { 'zh-CN': '仅房屋可填写楼层和面积', en: 'only rooms have floor and area' },
  purpose_required: { 'zh-CN': '查看完整个人信息须填写用途', en: 'a purpose is required to reveal personal data' },
  file_too_large: { 'zh-CN': '文件过大（不超过 {max}）', en: 'is too large (at most {max})' },
  not_an_image: { 'zh-CN': '不是有效的图片（仅支持 JPEG、PNG、WebP）', en: 'is not a JPEG, PNG or WebP image' },
  no_such_season: { 'zh-CN': '心愿季不存在', en: 'no such season' },
  no_current_season: { 'zh-CN': '当前没有进行中的心愿季', en: 'no season is running now' },
  season_not_covering: { 'zh-CN': '本季心愿活动未覆盖该社区', en: 'this season does not cover the community' },
  over_value_cap: { 'zh-CN': '超过本季单个心愿价值上限 ¥{cap}', en: 'is over the season cap of ¥{cap}' },
  no_person_linked: { 'zh-CN': '账号未关联居民信息，请联系社区', en: 'your account is not linked to a resident record' },
  no_community: { 'zh-CN': '无法确定所属社区', en: 'cannot tell the community' },
  too_many_photos: { 'zh-CN': '最多 {max} 张照片', en: 'at most {max} photos' },
  already_claimed: { 'zh-CN': '已被认领', en: 'Already claimed' },
  wish_state: { 'zh-CN': '心愿当前状态不允许此操作', en: 'The wish is not in a state that allows this' },
  not_your_claim: { 'zh-CN': '只有认领人可以提交圆梦', en: 'Only the claimer can report fulfilment' },
  not_communities: { 'zh-CN': '须为社区', en: 'must all be communities' },
  out_of_scope_field: { 'zh-CN': '超出您的数据管辖范围', en: 'is outside your data scope' },
  ends_before_start: { 'zh-CN': '结束日期不能早于开始日期', en: 'must not be before the start date' },
  multipart_required: { 'zh-CN': '请以表单（multipart/form-data）上传', en: 'must be sent as multipart/form-data' },
  bad_multipart: { 'zh-CN': '上传内容无法解析', en: 'the upload could not be read' },
  not_xlsx: { 'zh-CN': '不是有效的 Excel（.xlsx）文件', en: 'is not an .xlsx workbook' },
  bad_template: { 'zh-CN': '表头与模板不符（缺少或错位：{column}），请下载最新模板', en: 'does not match the template (column {column}); download the template' },
  empty_sheet: { 'zh-CN': '表格中没有数据行', en: 'has no data rows' },
  import_rejected: { 'zh-CN': '导入未执行：共 {count} 处错误，第 {row} 行：{message}。请修改后重新导入整张表', en: 'Nothing was imported: {count} problems; row {row}: {message}' },
  unknown_community: { 'zh-CN': '社区“{name}”不存在', en: 'no community named {name}' },
  not_in_registry: { 'zh-CN': '人口库中没有该身份证号，请先登记人员', en: 'no person with this ID number in the registry' },
  not_in_community: { 'zh-CN': '该居民不属于{name}', en: 'this person does not live in {name}' },
  raw: { 'zh-CN': '{text}', en: '{text}' },
  bad_signature: { 'zh-CN': '签名校验失败', en: 'Signature check failed' },
  invalid_xml: { 'zh-CN': '消息格式不正确', en: 'The message is not valid XML' },
  developer_unit_has_owners: { 'zh-CN': '开发商未售房屋不应登记业主', en: 'an unsold developer unit has no owners' },
  holder_not_owner: { 'zh-CN': '投票人须为该房屋的业主之一', en: 'the vote holder must be one of the owners' },
  scope_level: { 'zh-CN': '协商范围须为单元、楼栋或小区', en: 'must be a unit, a building or a compound' },
  not_evaluation_stage: { 'zh-CN': '尚未进入“评”阶段', en: 'the consultation is not in its evaluation stage' },
  no_such_post: { 'zh-CN': '帖子不存在', en: 'no such post' },
  stage_order: { 'zh-CN': '须按顺序推进，下一阶段为“{expected}”', en: 'stages go in order; next is {expected}' },
  no_such_consultation: { 'zh-CN': '协商议题不存在', en: 'no such consultation' },
  vote_locked: { 'zh-CN': '表决已开始，规则、范围、选项和保密设置已锁定', en: 'Voting has opened; its settings are locked' },
  vote_state: { 'zh-CN': '表决当前状态（{status}）不允许此操作', en: 'The vote is {status}; this is not allowed now' },
  vote_not_open: { 'zh-CN': '表决尚未开始', en: 'Voting has not opened' },
  vote_closed: { 'zh-CN': '表决已截止，不能再投票', en: 'Voting has closed' },
  room_not_in_vote: { 'zh-CN': '该房屋不在本次表决范围内', en: 'this room is not in the vote' },
  not_vote_holder: { 'zh-CN': '您不是该房屋的投票业主（共有人应由登记的投票人投票）', en: 'You do not hold this room\'s vote' },
  scan_required: { 'zh-CN': '纸质选票须上传扫描件', en: 'a paper ballot needs its scan' },
  no_such_file: { 'zh-CN': '文件不存在', en: 'no such file' },
  already_voted: { 'zh-CN': '该房屋已投票，每户只能投一票', en: 'This room has already voted' },
  empty_register: { 'zh-CN': '表决范围内没有登记面积的房屋，请先完善业主名册', en: 'the scope has no rooms with an area in the owner register' },
  not_in_notice: { 'zh-CN': '不在公示期内', en: 'The result is not in its public notice period' },
  stage_backwards: { 'zh-CN': '只能向后推进', en: 'can only move forward' },
  must_be_unit: { 'zh-CN': '须为单元', en: 'must be a unit' },
  subsidy_over_cost: { 'zh-CN': '补贴不能超过总造价', en: 'cannot exceed the total cost' },
  no_such_room: { 'zh-CN': '房屋编码“{code}”不存在', en: 'no room with code {code}' },
  bad_area: { 'zh-CN': '面积须为正数，最多两位小数', en: 'must be a positive area with at most 2 decimals' },
  committee_region: { 'zh-CN': '须为街道（大工委）或社区（大党委）', en: 'must be a street or a community' },
  unit_not_verified: { 'zh-CN': '单位尚未通过认证，认证后才能认领', en: 'The unit is not verified yet' },
  owner_unit_invalid: { 'zh-CN': '牵头单位不存在或尚未认证', en: 'no such verified unit' },
  no_such_unit: { 'zh-CN': '单位不存在', en: 'no such unit' },
  no_such_need: { 'zh-CN': '需求不存在', en: 'no such need' },
  no_such_resource: { 'zh-CN': '资源不存在', en: 'no such resource' },
  cannot_unmask: { 'zh-CN': '您的角色无权查看完整个人信息', en: 'your role may not reveal personal data' },
};

export function localeOf(req: Pick<FastifyRequest, 'headers'>): Locale {
  const h = String(req.headers['accept-language'] ?? '').toLowerCase();
  return h.startsWith('en') ? 'en' : 'zh-CN';
}

export function t(locale: Locale, key: string, params: Record<string, unknown> = {}): string {
  const m = messages[key];
  const text = m ? m[locale] : key;
  return text.replace(/\{(\w+)\}/g, (_, k) => String(params[k] ?? ''));
}

export function hasMessage(key: string) {
  return key in messages;
}
