import type { Messages, Paired } from '@shared/i18n';
import type { FollowUpStatus, PartyKind, RankingComponent } from '@shared/types';

/**
 * Four-party linkage (四方联动), joint meetings, the monthly assessment and the demonstration-compound
 * ranking in the console; also the audit page's names of the Red Property actions (compound_* and
 * practical_*). Merged into the console's messages in ./i18n.ts, since the menu needs them first.
 */
export const compoundMessages = {
  'zh-CN': {
    menu: { compounds: '四方联动', compound: '小区四方联动', compoundRanking: '红色物业示范榜' },
    compound: {
      kind: { residents_committee: '居委会', owners_committee: '业委会', property_company: '物业', grid: '网格' },
      followUpStatus: { open: '未完成', done: '已完成' },
      component: { residents: '居民评价', checklist: '社区考评', requests: '报事按时办结率', practical: '实事满意度', followUps: '联席会议事项按期完成率' },
      checklist: { cleaning: '保洁', greening: '绿化', order: '秩序维护', repairs: '设施维修', fire_safety: '消防安全', disclosure: '收支公开' },
      badge: '共产党员', crossAppointed: '交叉任职',
      // the list of compounds
      searchPh: '搜索小区', allCommunities: '全部社区', month: '月份', name: '小区', community: '所属社区', rank: '排名', score: '综合分',
      notRanked: '未排名', open: '进入', figuresOf: '{month} 考评', compoundsN: '共 {n} 个小区', toRanking: '查看示范榜',
      rankN: '第 {n} 名', noFigures: '—',
      // a compound
      back: '返回小区列表', tabParties: '四方联动', tabMeetings: '联席会议', tabAssessment: '月度考评',
      counts: '{parties} 个组织 · {people} 人任职 · {partyMembers} 名党员 · {crossAppointed} 人交叉任职',
      addParty: '新增组织', editParty: '编辑组织', addPost: '添加任职', endPost: '离任',
      endPostConfirm: '{name} 自今日（{date}）起不再担任「{party}」{title}？离任后不再在小区页面显示。', postEnded: '已离任',
      office: '办公地点', hours: '接待时间', organisation: '所属单位', grid: '网格', noMembers: '暂无任职人员', noParties: '尚未建立',
      memberName: '姓名', title: '职务', since: '任职日期', phone: '联系电话（已脱敏）', account: '系统账号', linked: '已关联', notLinked: '未关联',
      crossTitle: '交叉任职', crossHint: '同一人在本小区两个及以上组织任职', noCross: '暂无交叉任职',
      // the party dialog
      kindLabel: '类别', partyName: '组织名称', partyNamePh: '如：橡树湾业主委员会', officePh: '如：物业服务中心二楼', hoursPh: '如：周一至周五 8:30-17:30',
      organisationPh: '物业公司等单位（可不选）', gridPh: '覆盖本小区的网格', sort: '排序',
      nameRequired: '请填写组织名称', kindRequired: '请选择类别', gridRequired: '网格须选择对应的网格', partyCreated: '组织已新建', partySaved: '已保存',
      // the post dialog
      postDialog: '添加任职：{party}', person: '人员', personPh: '输入姓名、拼音首字母或手机尾号搜索', titlePh: '如：主任、委员、项目经理、网格员',
      accountPh: '搜索账号（可不选）', accountHint: '关联系统账号后，联席会议的交办事项可以交给此人，并进入其待办。',
      accountNoRight: '关联系统账号需要账号查看权限，可请街道工作人员补充。', personRequired: '请选择人员', titleRequired: '请填写职务', postCreated: '任职已添加',
      // joint meetings
      recordMeeting: '记录联席会议', heldOn: '会议日期', meetingTitle: '会议名称', meetingTitlePh: '如：橡树湾四方联席会议（12月）', place: '地点', placePh: '如：橡树湾党群服务站',
      attendees: '出席人员', attendeesN: '出席 {n} 人', pickAll: '全选', guests: '列席人员', guestsPh: '输入姓名后回车（无本小区任职的人员）',
      topics: '议题', topicPh: '议题 {n}', decisions: '决定事项', decisionPh: '决定 {n}', followUps: '交办事项', task: '事项', taskPh: '交办的事项',
      owner: '负责人', ownerPh: '已关联账号的任职人员', dueOn: '完成期限', progress: '进度', addRow: '添加一条', recordedBy: '记录人', noMeetings: '暂无联席会议记录',
      meetingSaved: '会议已记录，交办事项已通知负责人', overdue: '已逾期', doneAt: '{d} 完成', followUpsDone: '交办事项 {done}/{n} 已完成', noFollowUpsOfMeeting: '无交办事项',
      meetingTitleRequired: '请填写会议名称', heldOnRequired: '请选择会议日期', topicsRequired: '请至少填写一个议题', attendeesRequired: '请选择出席人员',
      followUpIncomplete: '请填写每条交办事项的内容、负责人和完成期限', noOwners: '本小区还没有关联系统账号的任职人员，无法交办事项。',
      // the monthly assessment
      assessMonth: '考评月份', checklistTitle: '社区考评表', item: '考评项目', max: '满分', standard: '考评标准', scoreLabel: '得分', total: '合计',
      note: '考评说明', notePh: '如：东门垃圾点当场整改', saveAssessment: '保存考评', assessmentSaved: '已保存：{month} 考评合计 {total} 分',
      assessedBy: '{by} 于 {at} 考评', notAssessed: '本月尚未考评', windowHint: '可录入或更正本月及此前三个月的考评表；保存后排名即时更新。',
      closedMonth: '该月考评已截止，仅可查看', readOnly: '仅社区工作人员可录入考评表',
      residentsTitle: '居民评价（H5 上每户每月一次）', households: '小区户数', ratingsN: '参评户数', participation: '参评率', average: '平均分',
      comments: '居民留言（最近 10 条，已屏蔽电话与门牌）', noComments: '暂无留言', scoreN: '{n} 分',
      // the ranking
      rankingMonth: '排名月份', formula: '计算公式', formulaHint: '综合分由居民评价、社区考评、报事、实事和联席会议事项的实时数据按上述公式计算，不是人工填写的分数。',
      weights: '权重', weighted: '加权分', deduction: '扣分', overdueMatters: '逾期实事 {n} 件', value: '得分（百分制）', effectiveWeight: '实际权重',
      points: '折算分', basis: '依据', chart: '综合分对比', noRanking: '本月暂无参与排名的小区（社区录入考评表后参与排名）', rankedOf: '{ranked} 个小区参与排名',
      deductionRule: '逾期未完成实事每件扣 {per} 分，最多扣 {cap} 分', details: '各项明细', noData: '无数据',
      // my follow-ups (the dashboard)
      myFollowUps: '我的待办（联席会议事项）', markDone: '标记完成', donePrompt: '完成情况说明（可不填）', markedDone: '已标记完成',
      noMyFollowUps: '暂无待办事项', showDone: '显示已完成', meetingOf: '{compound} ·「{meeting}」', dueOnN: '期限 {d}',
    },
    audit: {
      actions: {
        compound_party: '四方联动组织', compound_party_create: '新建四方组织', compound_party_update: '修改四方组织',
        compound_post: '任职', compound_post_create: '添加任职', compound_post_update: '修改任职 / 离任',
        compound_meeting: '联席会议', compound_meeting_create: '记录联席会议', compound_follow_up: '交办事项', compound_follow_up_done: '完成交办事项',
        compound_rating: '居民评价', compound_rating_create: '居民评价小区物业', compound_assessment: '社区考评', compound_assessment_save: '社区考评小区物业',
        practical: '暖心实事', practical_create: '新建实事', practical_update: '修改实事', practical_status: '实事状态变更', practical_milestones: '添加里程碑',
        practical_milestone_done: '完成里程碑', practical_photos: '上传实事照片', practical_spending: '登记实事支出', practical_survey: '实事满意度评价',
      },
      targets: {
        compound_party: '四方组织', compound_post: '任职', compound_meeting: '联席会议', compound_follow_up: '交办事项', compound_rating: '小区评价',
        compound_assessment: '小区考评', practical_matter: '暖心实事',
      },
    },
  },
  en: {
    menu: { compounds: 'Four-party linkage', compound: 'Compound', compoundRanking: 'Demonstration compounds' },
    compound: {
      kind: { residents_committee: 'Residents\' committee', owners_committee: 'Owners\' committee', property_company: 'Property company', grid: 'Grid' },
      followUpStatus: { open: 'Open', done: 'Done' },
      component: { residents: 'Residents\' rating', checklist: 'Community checklist', requests: 'Requests on time', practical: 'Practical-matter satisfaction', followUps: 'Follow-ups on time' },
      checklist: { cleaning: 'Cleaning', greening: 'Greening', order: 'Order', repairs: 'Repairs', fire_safety: 'Fire safety', disclosure: 'Disclosure' },
      badge: 'Party member', crossAppointed: 'Cross-appointed',
      searchPh: 'Search compounds', allCommunities: 'All communities', month: 'Month', name: 'Compound', community: 'Community', rank: 'Rank', score: 'Score',
      notRanked: 'Not ranked', open: 'Open', figuresOf: '{month} assessment', compoundsN: '{n} compounds', toRanking: 'Ranking',
      rankN: 'No. {n}', noFigures: '—',
      back: 'Back to compounds', tabParties: 'Four parties', tabMeetings: 'Joint meetings', tabAssessment: 'Monthly assessment',
      counts: '{parties} parties · {people} people · {partyMembers} party members · {crossAppointed} cross-appointed',
      addParty: 'Add party', editParty: 'Edit party', addPost: 'Add post', endPost: 'End post',
      endPostConfirm: 'End {name}\'s post as {title} of {party} today ({date})? Ended posts leave the compound page.', postEnded: 'Post ended',
      office: 'Office', hours: 'Hours', organisation: 'Organisation', grid: 'Grid', noMembers: 'No one holds a post', noParties: 'Not set up',
      memberName: 'Name', title: 'Post', since: 'Since', phone: 'Phone (masked)', account: 'Account', linked: 'Linked', notLinked: 'None',
      crossTitle: 'Cross-appointments', crossHint: 'People holding posts in two or more parties of the compound', noCross: 'No cross-appointments',
      kindLabel: 'Kind', partyName: 'Name', partyNamePh: 'e.g. Oak Bay owners\' committee', officePh: 'e.g. 2nd floor, service centre', hoursPh: 'e.g. Mon–Fri 8:30-17:30',
      organisationPh: 'The property company etc. (optional)', gridPh: 'A grid covering the compound', sort: 'Order',
      nameRequired: 'Enter the name', kindRequired: 'Pick the kind', gridRequired: 'A grid party needs its grid', partyCreated: 'Party created', partySaved: 'Saved',
      postDialog: 'Add a post: {party}', person: 'Person', personPh: 'Search by name, initials or phone ending', titlePh: 'e.g. chair, member, manager, grid worker',
      accountPh: 'Search accounts (optional)', accountHint: 'With an account linked, joint-meeting follow-ups can be given to this person and reach their work list.',
      accountNoRight: 'Linking an account needs the right to read accounts; ask a street worker.', personRequired: 'Pick a person', titleRequired: 'Enter the post', postCreated: 'Post added',
      recordMeeting: 'Record a joint meeting', heldOn: 'Date', meetingTitle: 'Title', meetingTitlePh: 'e.g. Four-party meeting (December)', place: 'Place', placePh: 'e.g. the service station',
      attendees: 'Attendees', attendeesN: '{n} attended', pickAll: 'All', guests: 'Guests', guestsPh: 'Type a name and press Enter (people without a post here)',
      topics: 'Topics', topicPh: 'Topic {n}', decisions: 'Decisions', decisionPh: 'Decision {n}', followUps: 'Follow-ups', task: 'Task', taskPh: 'What is to be done',
      owner: 'Owner', ownerPh: 'A post holder with an account', dueOn: 'Due', progress: 'Progress', addRow: 'Add', recordedBy: 'Recorded by', noMeetings: 'No joint meetings yet',
      meetingSaved: 'Meeting recorded; the owners were notified', overdue: 'Overdue', doneAt: 'done {d}', followUpsDone: 'Follow-ups {done}/{n} done', noFollowUpsOfMeeting: 'No follow-ups',
      meetingTitleRequired: 'Enter the title', heldOnRequired: 'Pick the date', topicsRequired: 'Enter at least one topic', attendeesRequired: 'Pick the attendees',
      followUpIncomplete: 'Each follow-up needs a task, an owner and a due date', noOwners: 'No post holder of this compound has an account, so nothing can be followed up.',
      assessMonth: 'Month', checklistTitle: 'Community checklist', item: 'Item', max: 'Max', standard: 'Standard', scoreLabel: 'Score', total: 'Total',
      note: 'Note', notePh: 'e.g. the east gate bin area was fixed on the spot', saveAssessment: 'Save', assessmentSaved: 'Saved: {month} totals {total}',
      assessedBy: 'assessed by {by} at {at}', notAssessed: 'Not assessed this month', windowHint: 'This month and the three before may be entered or corrected; the ranking follows at once.',
      closedMonth: 'This month is closed; read only', readOnly: 'Only community workers enter the checklist',
      residentsTitle: 'Residents\' ratings (once per household a month, on the H5)', households: 'Households', ratingsN: 'Rated', participation: 'Turnout', average: 'Average',
      comments: 'Comments (latest 10; phones and door numbers hidden)', noComments: 'No comments', scoreN: '{n} / 5',
      rankingMonth: 'Month', formula: 'Formula', formulaHint: 'The score is computed from live figures by this formula — not typed in by hand.',
      weights: 'Weights', weighted: 'Weighted', deduction: 'Deduction', overdueMatters: '{n} overdue matters', value: 'Value (0–100)', effectiveWeight: 'Effective weight',
      points: 'Points', basis: 'Basis', chart: 'Scores', noRanking: 'No compound is ranked this month (a compound takes part once its checklist is entered)', rankedOf: '{ranked} compounds ranked',
      deductionRule: '{per} points off per overdue matter, at most {cap}', details: 'Components', noData: 'No data',
      myFollowUps: 'My follow-ups (joint meetings)', markDone: 'Mark done', donePrompt: 'How it was done (optional)', markedDone: 'Marked done',
      noMyFollowUps: 'Nothing to follow up', showDone: 'Show done', meetingOf: '{compound} · "{meeting}"', dueOnN: 'due {d}',
    },
    audit: {
      actions: {
        compound_party: 'Compound parties', compound_party_create: 'Create party', compound_party_update: 'Update party',
        compound_post: 'Posts', compound_post_create: 'Add post', compound_post_update: 'Update or end post',
        compound_meeting: 'Joint meetings', compound_meeting_create: 'Record joint meeting', compound_follow_up: 'Follow-ups', compound_follow_up_done: 'Finish follow-up',
        compound_rating: 'Residents\' ratings', compound_rating_create: 'Rate compound', compound_assessment: 'Checklists', compound_assessment_save: 'Save checklist',
        practical: 'Practical matters', practical_create: 'Create matter', practical_update: 'Update matter', practical_status: 'Change matter status', practical_milestones: 'Add milestones',
        practical_milestone_done: 'Complete milestone', practical_photos: 'Upload matter photos', practical_spending: 'Record spending', practical_survey: 'Answer matter survey',
      },
      targets: {
        compound_party: 'Party', compound_post: 'Post', compound_meeting: 'Joint meeting', compound_follow_up: 'Follow-up', compound_rating: 'Rating',
        compound_assessment: 'Checklist', practical_matter: 'Practical matter',
      },
    },
  },
} satisfies Messages;

/** Fails the type check when the English and the Chinese keys differ. */
export type CompoundMessagesPaired = Paired<typeof compoundMessages>;

/** The dictionaries are keyed by the server's enums: a code added there fails the type check here until it is named. */
const kindNames: Record<PartyKind, true> = { residents_committee: true, owners_committee: true, property_company: true, grid: true };
export const PARTY_KINDS = Object.keys(kindNames) as PartyKind[];
export const FOLLOW_UP_TAG: Record<FollowUpStatus, 'success' | 'warning'> = { open: 'warning', done: 'success' };
export const PARTY_KIND_TAG: Record<PartyKind, 'danger' | 'warning' | 'primary' | 'success'> = {
  residents_committee: 'danger', owners_committee: 'warning', property_company: 'primary', grid: 'success',
};
export const COMPONENT_COLORS: Record<RankingComponent, string> = {
  residents: '#c8161d', checklist: '#e8541e', requests: '#1989fa', practical: '#07c160', followUps: '#7232dd',
};

/** Months as the server writes them, 'YYYY-MM', in Beijing time (UTC+8 all year). */
export const thisMonth = (now = new Date()) => new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 7);
export function addMonths(month: string, n: number) {
  const k = Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1 + n;
  return `${String(Math.floor(k / 12)).padStart(4, '0')}-${String((k % 12) + 1).padStart(2, '0')}`;
}
/** How far back the community may enter or correct a checklist (the server's ASSESSMENT_MONTHS_BACK; it refuses older months itself). */
export const ASSESSMENT_MONTHS_BACK = 3;
