import type { Messages, Paired } from '@shared/i18n';

/**
 * Console words for smart party-building (智慧党建): the member register, its import and export,
 * 双报到 and organisation relation transfers. Merged into the console's messages in ./i18n.ts (the
 * menu needs them before the page loads). Every code a person sees is named here.
 */
export const partyMessages = {
  'zh-CN': {
    menu: { party: '智慧党建', partyMembers: '党员名册', partyTransfers: '组织关系转接', partyActivities: '组织生活', partyPoints: '积分与出勤', partyPosts: '请缨岗位' },
    party: {
      status: { probationary: '预备党员', full: '正式党员' },
      transferStatus: { pending: '待接收', accepted: '已接收', rejected: '已退回' },
      columns: {
        name: '姓名', idNumber: '身份证号', phone: '手机号', organisation: '所在党组织', status: '党员类别', joinedOn: '入党日期', fullOn: '转正日期',
        posts: '职务', file: '文件',
      },
      searchPh: '姓名 / 拼音首字母 / 手机尾号', allOrgs: '全部党组织', allStatuses: '全部类别',
      name: '姓名', sex: '性别', idNumber: '身份证号', phone: '手机号', organisation: '所在党组织', statusLabel: '党员类别', joinedOn: '入党日期',
      fullOn: '转正日期', posts: '职务', report: '双报到社区', reportedOn: '报到日期', notReported: '未报到', linkedPerson: '人口库',
      linked: '已关联', notLinked: '未关联',
      create: '登记党员', import: '导入', export: '导出', exported: '已导出 {name}',
      exportTitle: '导出党员名册', exportPurpose: '请填写导出用途（身份证号、手机号脱敏导出，导出将记入审计日志）', purposeRule: '用途须 2–200 字',
      detail: '党员详情', reveal: '查看完整信息', revealTitle: '查看完整信息', revealPurpose: '请填写查看用途（将记入个人信息访问记录）',
      form: {
        namePh: '与身份证一致', idNumberPh: '18 位身份证号', phonePh: '可不填', organisationPh: '选择党组织', postsPh: '输入后回车添加，可不填',
        required: '必填', created: '已登记 {name}',
      },
      reportTitle: '登记双报到', reportBtn: '双报到', community: '居住地社区', communityPh: '选择社区', reported: '已登记双报到',
      transferOut: '发起转出', transferTitle: '发起组织关系转出', toOrganisation: '转入党组织', reason: '转出原因', reasonPh: '如：工作调动、迁居（可不填）',
      transferSent: '已发起转出，待转入组织接收', transferPending: '有一条待接收的转出',
      transfers: {
        direction: { in: '转入', out: '转出' }, allDirections: '转入与转出', pendingOnly: '仅待接收', allStatuses: '全部状态',
        member: '党员', from: '转出组织', to: '转入组织', reason: '原因', requestedAt: '发起时间', status: '状态', decidedAt: '处理时间', note: '处理意见',
        accept: '接收', reject: '退回', acceptTitle: '接收「{name}」的组织关系', rejectTitle: '退回「{name}」的组织关系',
        notePh: '处理意见（可不填）', noteRule: '处理意见至多 200 字', accepted: '已接收', rejected: '已退回',
      },
      activities: {
        kind: { general_meeting: '支部党员大会', committee_meeting: '支委会', group_meeting: '党小组会', lecture: '党课', theme_day: '主题党日' },
        allKinds: '全部类型', create: '安排组织生活', organisation: '党组织', kindLabel: '类型', topic: '主题', place: '地点', time: '时间', startsAt: '开始时间', endsAt: '结束时间',
        attendance: '签到', attended: '{attended} / {expected} 人已签到', minutes: '会议记录', minutesPh: '会后填写会议记录', saveMinutes: '保存记录', minutesSaved: '会议记录已保存',
        photos: '活动照片', uploadPhotos: '上传照片', uploaded: '照片已上传', qr: '签到二维码', qrHint: '党员用手机扫码签到（活动开始前 {minutes} 分钟至结束后 {minutes} 分钟内有效）',
        qrExpires: '二维码有效至 {time}', checkedInAt: '签到时间', notCheckedIn: '未签到', via: { qr: '扫码', recorded: '补录' }, created: '已安排「{topic}」', detail: '活动详情',
        member: '党员', memberOrg: '所在党组织', from: '开始日期', to: '结束日期', required: '必填',
      },
      vposts: {
        create: '发布岗位', title: '岗位', place: '地点', period: '时间', slots: '名额', accepted: '已接受', offers: '请缨党员', note: '留言',
        accept: '接受', decline: '婉拒', decided: '已处理', created: '岗位已发布', description: '说明', none: '暂无请缨', hours: '服务时长', recordHours: '登记时长', hoursPrompt: '「{name}」本次志愿服务的小时数（0.5 的倍数；登记一次，按积分规则计分）', hoursRecorded: '已登记 {hours} 小时，计 {points} 分',
        status: { pending: '待确认', accepted: '已接受', declined: '已婉拒' },
      },
      points: {
        tabs: { attendance: '出勤率', rankings: '积分排行', rules: '积分规则' },
        activities: '活动数', expected: '应到', attended: '实到', rate: '出勤率', byOrg: '按党组织', byMember: '按党员', total: '合计：{activities} 次活动，出勤率 {rate}',
        by: { member: '党员', organisation: '党组织', community: '社区' }, rank: '名次', name: '名称', members: '党员数', points: '积分', memberOrg: '所在党组织',
        rule: '规则', perEvent: '每次', perHour: '每小时', active: '启用', save: '保存规则', saved: '积分规则已保存', rulesDistrictOnly: '积分规则由区级设定', export: '导出 Excel',
      },
      importDialog: {
        title: '导入党员名册', rule: '整表导入：任一行有误则全部不导入，并逐行列出错误。党组织填名称或编码，日期填 YYYY-MM-DD。',
        imported: '已导入 {n} 名党员',
      },
    },
    audit: {
      actions: {
        party_activity: '组织生活', party_activity_create: '安排组织生活', party_activity_minutes: '填写会议记录', party_activity_photos: '上传活动照片', party_activity_checkin: '扫码签到',
        party_points: '党员积分', party_points_rules: '修改积分规则',
        party_post: '请缨岗位', party_post_create: '发布请缨岗位', party_post_volunteer: '党员请缨', party_post_accept: '接受请缨', party_post_decline: '婉拒请缨',
      },
      targets: { party_activity: '组织生活', party_point_rule: '积分规则', party_volunteer_post: '请缨岗位' },
    },
  },
  en: {
    menu: { party: 'Party building', partyMembers: 'Member register', partyTransfers: 'Transfers', partyActivities: 'Organisation life', partyPoints: 'Points & attendance', partyPosts: 'Volunteer posts' },
    party: {
      status: { probationary: 'Probationary', full: 'Full member' },
      transferStatus: { pending: 'Pending', accepted: 'Accepted', rejected: 'Returned' },
      columns: {
        name: 'Name', idNumber: 'ID number', phone: 'Mobile', organisation: 'Party organisation', status: 'Status', joinedOn: 'Joined', fullOn: 'Full member since',
        posts: 'Posts', file: 'File',
      },
      searchPh: 'Name / initials / phone ending', allOrgs: 'All organisations', allStatuses: 'All statuses',
      name: 'Name', sex: 'Sex', idNumber: 'ID number', phone: 'Mobile', organisation: 'Party organisation', statusLabel: 'Status', joinedOn: 'Joined',
      fullOn: 'Full member since', posts: 'Posts', report: 'Reported to community', reportedOn: 'Reported on', notReported: 'Not reported', linkedPerson: 'Registry',
      linked: 'Linked', notLinked: 'Not linked',
      create: 'Register member', import: 'Import', export: 'Export', exported: 'Exported {name}',
      exportTitle: 'Export member register', exportPurpose: 'Purpose of the export (ID numbers and phones are masked; the export is audited)', purposeRule: 'Purpose must be 2–200 characters',
      detail: 'Member', reveal: 'Show full details', revealTitle: 'Show full details', revealPurpose: 'Purpose (recorded in the personal-data access log)',
      form: {
        namePh: 'As on the ID card', idNumberPh: '18-character ID number', phonePh: 'Optional', organisationPh: 'Pick a party organisation', postsPh: 'Type and press Enter (optional)',
        required: 'Required', created: '{name} registered',
      },
      reportTitle: 'Record community report', reportBtn: 'Report', community: 'Home community', communityPh: 'Pick a community', reported: 'Report recorded',
      transferOut: 'Transfer out', transferTitle: 'Transfer to another organisation', toOrganisation: 'To organisation', reason: 'Reason', reasonPh: 'e.g. new job, moved (optional)',
      transferSent: 'Transfer requested; waiting for the receiving organisation', transferPending: 'A transfer is waiting',
      transfers: {
        direction: { in: 'In', out: 'Out' }, allDirections: 'In and out', pendingOnly: 'Pending only', allStatuses: 'All statuses',
        member: 'Member', from: 'From', to: 'To', reason: 'Reason', requestedAt: 'Requested', status: 'Status', decidedAt: 'Decided', note: 'Note',
        accept: 'Accept', reject: 'Return', acceptTitle: 'Accept {name}', rejectTitle: 'Return {name}',
        notePh: 'Note (optional)', noteRule: 'Note must be at most 200 characters', accepted: 'Accepted', rejected: 'Returned',
      },
      activities: {
        kind: { general_meeting: 'Branch general meeting', committee_meeting: 'Committee meeting', group_meeting: 'Group meeting', lecture: 'Party lecture', theme_day: 'Theme day' },
        allKinds: 'All kinds', create: 'Schedule', organisation: 'Organisation', kindLabel: 'Kind', topic: 'Topic', place: 'Place', time: 'Time', startsAt: 'Starts', endsAt: 'Ends',
        attendance: 'Sign-ins', attended: '{attended} of {expected} signed in', minutes: 'Minutes', minutesPh: 'Minutes, written afterwards', saveMinutes: 'Save minutes', minutesSaved: 'Minutes saved',
        photos: 'Photos', uploadPhotos: 'Upload photos', uploaded: 'Photos uploaded', qr: 'Sign-in QR', qrHint: 'Members scan it to sign in ({minutes} minutes before the start to {minutes} minutes after the end)',
        qrExpires: 'Valid until {time}', checkedInAt: 'Signed in', notCheckedIn: 'Not signed in', via: { qr: 'QR', recorded: 'Recorded' }, created: '{topic} scheduled', detail: 'Activity',
        member: 'Member', memberOrg: 'Organisation', from: 'From', to: 'To', required: 'Required',
      },
      vposts: {
        create: 'New post', title: 'Post', place: 'Place', period: 'Period', slots: 'Places', accepted: 'Accepted', offers: 'Volunteers', note: 'Message',
        accept: 'Accept', decline: 'Decline', decided: 'Done', created: 'Post published', description: 'Description', none: 'No volunteers yet', hours: 'Hours', recordHours: 'Record hours', hoursPrompt: 'Hours {name} served (multiples of 0.5; recorded once, points per the rules)', hoursRecorded: '{hours} h recorded, {points} points',
        status: { pending: 'Pending', accepted: 'Accepted', declined: 'Declined' },
      },
      points: {
        tabs: { attendance: 'Attendance', rankings: 'Rankings', rules: 'Rules' },
        activities: 'Activities', expected: 'Expected', attended: 'Attended', rate: 'Rate', byOrg: 'By organisation', byMember: 'By member', total: 'Total: {activities} activities, attendance {rate}',
        by: { member: 'Member', organisation: 'Organisation', community: 'Community' }, rank: 'Rank', name: 'Name', members: 'Members', points: 'Points', memberOrg: 'Organisation',
        rule: 'Rule', perEvent: 'per event', perHour: 'per hour', active: 'Active', save: 'Save rules', saved: 'Rules saved', rulesDistrictOnly: 'The district sets the rules', export: 'Export Excel',
      },
      importDialog: {
        title: 'Import member register', rule: 'All or nothing: if any row is wrong nothing is imported and every problem is listed. Organisation by name or code; dates as YYYY-MM-DD.',
        imported: '{n} members imported',
      },
    },
    audit: {
      actions: {
        party_activity: 'Organisation life', party_activity_create: 'Schedule activity', party_activity_minutes: 'Record minutes', party_activity_photos: 'Upload activity photos', party_activity_checkin: 'Sign in by QR',
        party_points: 'Party points', party_points_rules: 'Change points rules',
        party_post: 'Volunteer posts', party_post_create: 'Publish volunteer post', party_post_volunteer: 'Volunteer for post', party_post_accept: 'Accept volunteer', party_post_decline: 'Decline volunteer',
      },
      targets: { party_activity: 'Activity', party_point_rule: 'Points rule', party_volunteer_post: 'Volunteer post' },
    },
  },
} satisfies Messages;

export type PartyMessages = Paired<typeof partyMessages>;
