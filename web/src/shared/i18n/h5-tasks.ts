import type { Messages, Paired } from './index';

/** Verification tasks (核查任务) on the grid worker's phone. */
export const h5Tasks = {
  'zh-CN': {
    vt: {
      title: '核查任务', entry: '核查任务', open: '待核查', done: '已办结', none: '暂无核查任务', overdue: '已超期', due: '截止',
      source: '来源', person: '核查对象', address: '上门地址', idNumber: '身份证号', phone: '手机号', birthYear: '出生年份', sex: '性别',
      sexOf: { M: '男', F: '女' }, what: '核查事项', result: '核查结果', note: '情况说明', notePh: '如：本人在家，已当面核实', photo: '现场照片', photoPh: '选填', noteRule: '选择“其他”时须写明情况',
      submit: '提交并办结', submitted: '已办结', closedAt: '办结时间', closedBy: '办结人', escalated: '已升级至{level}', level: { l1: '社区', l2: '街道' },
      results: { confirmed: '确认在此居住', not_resident: '不在此居住', wrong_person: '不是此人', other: '其他' },
      pickResult: '请选择核查结果',
    },
  },
  en: {
    vt: {
      title: 'Verification tasks', entry: 'Verification tasks', open: 'Open', done: 'Closed', none: 'No verification tasks', overdue: 'Overdue', due: 'Due',
      source: 'Source', person: 'Person', address: 'Address to visit', idNumber: 'ID number', phone: 'Phone', birthYear: 'Year of birth', sex: 'Sex',
      sexOf: { M: 'Male', F: 'Female' }, what: 'To verify', result: 'Result', note: 'Note', notePh: 'e.g. met in person at home', photo: 'Photo', photoPh: 'Optional', noteRule: 'Describe what you found when choosing "Other"',
      submit: 'Submit and close', submitted: 'Closed', closedAt: 'Closed at', closedBy: 'Closed by', escalated: 'Escalated to the {level}', level: { l1: 'community', l2: 'street' },
      results: { confirmed: 'Lives here (confirmed)', not_resident: 'Does not live here', wrong_person: 'Wrong person', other: 'Other' },
      pickResult: 'Choose a result',
    },
  },
} satisfies Messages;

/** Fails the type check when the English and the Chinese keys differ. */
export type H5TasksPaired = Paired<typeof h5Tasks>;
