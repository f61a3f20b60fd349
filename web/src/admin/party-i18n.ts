import type { Messages, Paired } from '@shared/i18n';

/**
 * Console words for smart party-building (智慧党建): the member register, its import and export,
 * 双报到 and organisation relation transfers. Merged into the console's messages in ./i18n.ts (the
 * menu needs them before the page loads). Every code a person sees is named here.
 */
export const partyMessages = {
  'zh-CN': {
    menu: { party: '智慧党建', partyMembers: '党员名册', partyTransfers: '组织关系转接' },
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
      importDialog: {
        title: '导入党员名册', rule: '整表导入：任一行有误则全部不导入，并逐行列出错误。党组织填名称或编码，日期填 YYYY-MM-DD。',
        imported: '已导入 {n} 名党员',
      },
    },
  },
  en: {
    menu: { party: 'Party building', partyMembers: 'Member register', partyTransfers: 'Transfers' },
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
      importDialog: {
        title: 'Import member register', rule: 'All or nothing: if any row is wrong nothing is imported and every problem is listed. Organisation by name or code; dates as YYYY-MM-DD.',
        imported: '{n} members imported',
      },
    },
  },
} satisfies Messages;

export type PartyMessages = Paired<typeof partyMessages>;
