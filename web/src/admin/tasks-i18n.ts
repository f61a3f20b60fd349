import { extendMessages, type Messages, type Paired } from '@shared/i18n';
import { i18n } from './i18n';

/**
 * Console words of the verification tasks (核查任务): progress by street and community, the task
 * list and one task's drawer. The menu title lives in brain-i18n.ts (the menu needs it before the
 * page loads); these arrive with the page, which imports this file.
 */
export const taskMessages = {
  'zh-CN': {
    vtask: {
      progress: '核查进度', autoRefresh: '每 10 秒自动刷新', updatedAt: '更新于 {time}',
      total: { assigned: '已派发', open: '待核查', done: '已完成', confirmed: '确认在此居住', wrongPerson: '不是此人', wrongPersonRate: '“不是此人”比例' },
      byStreet: '按街道', byCommunity: '按社区', street: '街道', community: '社区', rateNote: '“不是此人”比例按已完成的任务计算',
      chart: '各社区完成情况', noStats: '暂无核查任务',
      list: '任务列表', tab: { open: '待核查', done: '已办结' }, allRegions: '全部社区', filterHint: '点击社区名称可只看该社区的任务',
      person: '核查对象', address: '上门地址', source: '来源名单', due: '截止时间', overdue: '已超期', result: '核查结果', status: '状态',
      escalated: '已升级至{level}', level: { l1: '社区', l2: '街道' }, detail: '详情', none: '暂无任务',
      results: { confirmed: '确认在此居住', not_resident: '不在此居住', wrong_person: '不是此人', other: '其他' },
      statusOf: { open: '待核查', done: '已办结' }, sexOf: { M: '男', F: '女' },
      // the drawer
      drawerTitle: '核查任务 #{id}', what: '核查事项', idNumber: '身份证号', phone: '手机号', birthYear: '出生年份', sex: '性别',
      matchJob: '比对任务', createdAt: '派发时间', closedAt: '办结时间', closedBy: '办结人', note: '情况说明', notePh: '如：本人在家，已当面核实',
      noteRule: '选择“其他”时须写明情况', pickResult: '请选择核查结果', submit: '登记结果并办结', submitted: '已办结', maskedNote: '人员信息已脱敏，仅显示上门核查所需内容',
    },
  },
  en: {
    vtask: {
      progress: 'Progress', autoRefresh: 'Refreshes every 10 s', updatedAt: 'Updated {time}',
      total: { assigned: 'Assigned', open: 'Open', done: 'Done', confirmed: 'Lives here (confirmed)', wrongPerson: 'Wrong person', wrongPersonRate: 'Wrong-person rate' },
      byStreet: 'By street', byCommunity: 'By community', street: 'Street', community: 'Community', rateNote: 'The wrong-person rate is taken over the tasks done',
      chart: 'Done by community', noStats: 'No verification tasks yet',
      list: 'Tasks', tab: { open: 'Open', done: 'Closed' }, allRegions: 'All communities', filterHint: 'Click a community to list only its tasks',
      person: 'Person', address: 'Address to visit', source: 'Source list', due: 'Due', overdue: 'Overdue', result: 'Result', status: 'Status',
      escalated: 'Escalated to the {level}', level: { l1: 'community', l2: 'street' }, detail: 'Details', none: 'No tasks',
      results: { confirmed: 'Lives here (confirmed)', not_resident: 'Does not live here', wrong_person: 'Wrong person', other: 'Other' },
      statusOf: { open: 'Open', done: 'Closed' }, sexOf: { M: 'Male', F: 'Female' },
      drawerTitle: 'Verification task #{id}', what: 'To verify', idNumber: 'ID number', phone: 'Phone', birthYear: 'Year of birth', sex: 'Sex',
      matchJob: 'Match job', createdAt: 'Assigned', closedAt: 'Closed at', closedBy: 'Closed by', note: 'Note', notePh: 'e.g. met in person at home',
      noteRule: 'Describe what you found when choosing "Other"', pickResult: 'Choose a result', submit: 'Record and close', submitted: 'Closed', maskedNote: 'Personal data is masked to what a visit needs',
    },
  },
} satisfies Messages;

/** Fails the type check when the English and the Chinese keys differ. */
export type TaskMessagesPaired = Paired<typeof taskMessages>;

extendMessages(i18n, taskMessages);
