import type { Messages, Paired } from './index';

/** Admin console: micro-wish management, seasons and the printable wish cards. */
export const adminWishes = {
  'zh-CN': {
    wishAdmin: {
      searchPh: '心愿标题 / 受益人姓名', allSeasons: '全部心愿季', season: '心愿季', status: '状态', community: '社区', category: '类别',
      code: '编号', title: '心愿', beneficiary: '受益人', phone: '手机号', target: '对象', value: '价值', channel: '来源', claimer: '认领人',
      createdAt: '提交时间', currentTag: '进行中',
      approve: '通过', reject: '驳回', reviewTitle: '审核心愿', decision: '审核结果', reviewNote: '审核意见', reviewNotePh: '通过时可不填；驳回须写明原因（将通知提交人）',
      rejectReasonRequired: '驳回须填写原因', approved: '已通过，心愿已发布到心愿墙', rejected: '已驳回，已通知提交人',
      withdraw: '撤回', withdrawTitle: '撤回心愿', withdrawPrompt: '请填写撤回原因（记录在心愿时间线中）', withdrawn: '心愿已撤回',
      revoke: '撤销认领', revokeTitle: '撤销认领', revokePrompt: '请填写撤销认领的原因（将通知认领人）', revoked: '已撤销认领，心愿重新开放认领',
      reasonRule: '请填写原因', detail: '详情', detailTitle: '心愿详情', contactTitle: '受益人联系方式',
      contactLogged: '本次查看受益人联系方式已记录在个人信息访问日志中', visit: '入户走访', visitDate: '走访日期', visitor: '走访人', dueAt: '圆梦期限',
      claimStatus: { live: '认领中', fulfilled: '已圆梦', withdrawn: '已放弃', revoked: '已撤销', expired: '已到期' },
      reviewReason: '审核意见', story: '心愿故事', photos: '心愿照片', evidence: '圆梦照片', timeline: '时间线', noPhotos: '暂无照片',
      photoHidden: '发布后可查看', views: '浏览次数', rating: '评价',
      enter: '代录心愿', enterTitle: '代录心愿（入户走访）', person: '受益人', pickPerson: '输入姓名、拼音首字母或手机尾号搜索', personRequired: '请选择受益人',
      entered: '已代录心愿 {code}，待审核', titleRule: '标题 2–40 字', storyRule: '心愿故事 5–1000 字', required: '必填',
      import: '导入', importTitle: '导入心愿征集表',
      imported: '已导入 {n} 条心愿，均为待审核',
      importRule: '整表导入：任一行有误则全部不导入，并逐行列出错误。受益人按身份证号匹配人口库。',
      importSeason: '导入到',
      export: '导出 Excel', exportTitle: '导出心愿清单', exportPurpose: '请填写导出用途（将记录在个人信息访问日志中）', exported: '已开始下载 {name}',
      purposeRule: '用途至少 2 个字', printCards: '打印心愿卡',
      columns: {
        community: '社区', idNumber: '受益人身份证号', title: '心愿标题', story: '心愿描述', category: '类别', targetGroup: '对象类型',
        estimatedValue: '预估价值(元)', visitDate: '走访日期', visitor: '走访人', file: '文件', seasonId: '心愿季',
      },
    },
    season: {
      add: '新建心愿季', edit: '编辑心愿季', name: '名称', theme: '主题', dates: '起止日期', startsOn: '开始日期', endsOn: '结束日期',
      valueCap: '单个心愿价值上限（元）', valueCapShort: '价值上限', claimDays: '认领期限（天）', claimDaysShort: '认领期限', communities: '覆盖社区',
      communityCount: '{n} 个社区', current: '进行中', ended: '已结束', upcoming: '未开始', state: '状态', stats: '统计', statsTitle: '{name} · 统计',
      collected: '征集', published: '发布', claimed: '认领', fulfilled: '圆梦', confirmed: '确认', pageViews: '页面浏览', fulfilRate: '圆梦率（圆梦 / 发布）',
      meanDays: '平均圆梦天数', topClaimers: '圆梦排行', rank: '名次', claimerName: '认领单位 / 党员', fulfilledCount: '圆梦数', byCommunity: '分社区进度',
      days: '{n} 天', wishes: '查看心愿', selectAll: '全选', clearAll: '清空', communitiesRequired: '请至少选择一个社区', nameRequired: '请填写名称',
      datesRequired: '请选择起止日期', daysUnit: '天', yuanUnit: '元', noStats: '该心愿季暂无心愿',
    },
    cards: {
      title: '打印心愿卡', print: '打印', count: '共 {n} 张（已发布、待认领的心愿）', scan: '扫码认领心愿', empty: '没有待认领的心愿',
      hint: 'A6 纸张，每页一张心愿卡；打印时请选择“实际大小”。', back: '返回心愿管理', brand: '点亮微心愿', value: '预估价值', loading: '正在生成二维码…',
    },
  },
  en: {
    wishAdmin: {
      searchPh: 'Wish title / beneficiary name', allSeasons: 'All seasons', season: 'Season', status: 'Status', community: 'Community', category: 'Category',
      code: 'Code', title: 'Wish', beneficiary: 'Beneficiary', phone: 'Phone', target: 'For', value: 'Value', channel: 'Source', claimer: 'Claimed by',
      createdAt: 'Submitted', currentTag: 'Running',
      approve: 'Approve', reject: 'Reject', reviewTitle: 'Review wish', decision: 'Decision', reviewNote: 'Note', reviewNotePh: 'Optional when approving; required when rejecting (sent to the submitter)',
      rejectReasonRequired: 'A reason is required to reject', approved: 'Approved and published on the wish wall', rejected: 'Rejected; the submitter has been told',
      withdraw: 'Withdraw', withdrawTitle: 'Withdraw wish', withdrawPrompt: 'Why is it withdrawn? (kept on the wish timeline)', withdrawn: 'Wish withdrawn',
      revoke: 'Revoke claim', revokeTitle: 'Revoke claim', revokePrompt: 'Why is the claim revoked? (sent to the claimer)', revoked: 'Claim revoked; the wish is open again',
      reasonRule: 'Enter a reason', detail: 'Details', detailTitle: 'Wish', contactTitle: 'Beneficiary contact',
      contactLogged: 'This view of the beneficiary contact was recorded in the personal-data access log', visit: 'Home visit', visitDate: 'Visit date', visitor: 'Visitor', dueAt: 'Due',
      claimStatus: { live: 'Active', fulfilled: 'Fulfilled', withdrawn: 'Given up', revoked: 'Revoked', expired: 'Expired' },
      reviewReason: 'Review note', story: 'Story', photos: 'Photos', evidence: 'Fulfilment photos', timeline: 'Timeline', noPhotos: 'No photos',
      photoHidden: 'Visible once published', views: 'Views', rating: 'Rating',
      enter: 'Enter a wish', enterTitle: 'Enter a wish (home visit)', person: 'Beneficiary', pickPerson: 'Search by name, pinyin initials or phone tail', personRequired: 'Choose the beneficiary',
      entered: 'Wish {code} entered; awaiting review', titleRule: 'Title: 2–40 characters', storyRule: 'Story: 5–1000 characters', required: 'Required',
      import: 'Import', importTitle: 'Import a wish collection sheet',
      imported: '{n} wishes imported, all awaiting review',
      importRule: 'All or nothing: one bad row rejects the sheet, with a row-by-row report. Beneficiaries are matched by ID number.',
      importSeason: 'Into season',
      export: 'Export Excel', exportTitle: 'Export wishes', exportPurpose: 'Why are you exporting? (recorded in the personal-data access log)', exported: 'Downloading {name}',
      purposeRule: 'At least 2 characters', printCards: 'Print wish cards',
      columns: {
        community: 'Community', idNumber: 'Beneficiary ID number', title: 'Title', story: 'Story', category: 'Category', targetGroup: 'Target group',
        estimatedValue: 'Value (yuan)', visitDate: 'Visit date', visitor: 'Visitor', file: 'File', seasonId: 'Season',
      },
    },
    season: {
      add: 'New season', edit: 'Edit season', name: 'Name', theme: 'Theme', dates: 'Dates', startsOn: 'Starts', endsOn: 'Ends',
      valueCap: 'Value cap per wish (yuan)', valueCapShort: 'Value cap', claimDays: 'Days to fulfil a claim', claimDaysShort: 'Claim days', communities: 'Communities',
      communityCount: '{n} communities', current: 'Running', ended: 'Ended', upcoming: 'Upcoming', state: 'State', stats: 'Statistics', statsTitle: '{name} · statistics',
      collected: 'Collected', published: 'Published', claimed: 'Claimed', fulfilled: 'Fulfilled', confirmed: 'Confirmed', pageViews: 'Page views', fulfilRate: 'Fulfilled / published',
      meanDays: 'Mean days to fulfil', topClaimers: 'Top claimers', rank: 'Rank', claimerName: 'Unit / party member', fulfilledCount: 'Fulfilled',
      byCommunity: 'By community', days: '{n} days', wishes: 'Wishes', selectAll: 'All', clearAll: 'None', communitiesRequired: 'Choose at least one community', nameRequired: 'Enter a name',
      datesRequired: 'Choose the dates', daysUnit: 'days', yuanUnit: 'yuan', noStats: 'No wishes in this season yet',
    },
    cards: {
      title: 'Print wish cards', print: 'Print', count: '{n} cards (published wishes waiting to be claimed)', scan: 'Scan to claim this wish', empty: 'No open wishes',
      hint: 'A6 paper, one card per page; print at actual size.', back: 'Back to wishes', brand: 'Light up a micro-wish', value: 'Estimated value', loading: 'Making QR codes…',
    },
  },
} satisfies Messages;

/** Fails the type check when the English and the Chinese keys differ. */
export type AdminWishesPaired = Paired<typeof adminWishes>;
