import { extendMessages, type Messages, type Paired } from '@shared/i18n';
import { i18n } from './i18n';

/** Elder mode (长辈模式), the claim confirmation, read-aloud and the unit's "我的". */
const elderH5 = {
  'zh-CN': {
    elder: {
      mode: '长辈模式', modeHint: '大字体、大按钮、简洁首页', on: '已开启长辈模式', off: '已关闭长辈模式',
      enter: '长辈模式', leave: '退出长辈模式', textSize: '字体大小', sizeLarge: '大', sizeLarger: '特大',
      greet: '您好，{name}', todo: '您想做什么？',
      post: '我要许愿', postSub: '说说您需要的帮助',
      mine: '我的心愿', mineSub: '看看心愿办得怎么样了',
      call: '给网格员打电话', callSub: '{name} {phone}', callNone: '暂无网格员电话，点此查看小区联系人', callCommittee: '给居委会打电话',
      stations: '附近服务站', stationsSub: '歇歇脚、喝口水、充个电',
      readAloud: '朗读心愿', stopReading: '停止朗读', readText: '心愿：{title}。状态：{status}。{story}',
    },
    claimSheet: {
      title: '认领前请确认', intro: '认领「{title}」后，您承诺：',
      deadline: '在 {days} 天内（{at} 前）完成圆梦，并上传照片说明', deadlineSeason: '在本季规定的认领期限内完成圆梦，并上传照片说明', contact: '认领满 {minutes} 分钟后，您可以查看受益人的姓名、电话和住址，仅用于送达；每次查看都会留痕',
      release: '如不能完成，请及时放弃认领；逾期未完成将自动释放，由他人认领',
      confirm: '我承诺，确认认领', cancel: '再想想',
    },
    meUnit: {
      title: '我的单位', kind: '组织类型', allianceUnit: '联盟单位', committeeUnit: '委员单位', status: '认证状态',
      statusName: { pending: '待认证', verified: '已认证', rejected: '未通过' },
      kinds: { party_working_committee: '党工委', party_committee: '党委', general_branch: '党总支', branch: '党支部', enterprise: '企业', social_org: '社会组织', institution: '机关事业单位' },
      noUnit: '账号未关联单位', myResources: '我的资源与需求对接',
      showId: '显示', hideId: '隐藏', idHint: '点击“显示”查看完整身份证号',
    },
    wishForm: { valueOptional: '（服务、陪伴类可不填）', more: '补充类别、对象和照片（选填）' },
  },
  en: {
    elder: {
      mode: 'Elder mode', modeHint: 'Large text, large buttons, a simple home', on: 'Elder mode is on', off: 'Elder mode is off',
      enter: 'Elder mode', leave: 'Leave elder mode', textSize: 'Text size', sizeLarge: 'Large', sizeLarger: 'Larger',
      greet: 'Hello, {name}', todo: 'What would you like to do?',
      post: 'Make a wish', postSub: 'Tell us what help you need',
      mine: 'My wishes', mineSub: 'See how your wishes are going',
      call: 'Call my grid worker', callSub: '{name} {phone}', callNone: 'No grid worker phone yet; see your compound\'s contacts', callCommittee: 'Call the residents\' committee',
      stations: 'Nearby stations', stationsSub: 'Rest, water, charging',
      readAloud: 'Read aloud', stopReading: 'Stop reading', readText: 'Wish: {title}. Status: {status}. {story}',
    },
    claimSheet: {
      title: 'Before you claim', intro: 'By claiming "{title}" you promise to:',
      deadline: 'fulfil it within {days} days (by {at}) and upload photos', deadlineSeason: 'fulfil it within the season\'s claim period and upload photos', contact: 'After {minutes} minutes you may read the beneficiary\'s name, phone and address, only to deliver; every read is logged',
      release: 'If you cannot, give the claim back in time; an overdue claim is released for others',
      confirm: 'I promise — claim it', cancel: 'Not now',
    },
    meUnit: {
      title: 'My unit', kind: 'Kind', allianceUnit: 'Alliance unit', committeeUnit: 'Committee unit', status: 'Verification',
      statusName: { pending: 'Pending', verified: 'Verified', rejected: 'Rejected' },
      kinds: { party_working_committee: 'Party working committee', party_committee: 'Party committee', general_branch: 'General branch', branch: 'Branch', enterprise: 'Enterprise', social_org: 'Social organisation', institution: 'Public institution' },
      noUnit: 'No unit linked to this account', myResources: 'My resources and matching needs',
      showId: 'Show', hideId: 'Hide', idHint: 'Tap "Show" to see the full ID number',
    },
    wishForm: { valueOptional: ' (optional for service and company)', more: 'Category, beneficiary and photos (optional)' },
  },
} satisfies Messages;

/** Fails the type check when the English and the Chinese keys differ. */
export type ElderH5Paired = Paired<typeof elderH5>;

extendMessages(i18n, elderH5);
