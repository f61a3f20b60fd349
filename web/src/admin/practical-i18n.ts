import type { Messages, Paired } from '@shared/i18n';
import type { MatterStatus } from '@shared/types';

/**
 * Practical-matter (暖心实事) console words: the list, a matter's page and its dialogs, the
 * dashboard. Merged into the console's messages in ./i18n.ts with the codes' names
 * (@shared/i18n/practical), since the menu needs them before any page loads.
 */
export const practicalMessages = {
  'zh-CN': {
    menu: { practicalMatters: '暖心实事', practicalMatter: '实事详情', practicalDashboard: '实事看板' },
    practical: {
      // list
      searchPh: '搜索项目名称', allStatuses: '全部状态', allCategories: '全部类别', allRegions: '全部区域', allYears: '全部年度', yearN: '{n} 年度',
      overdueOnly: '仅看逾期', exportXlsx: '导出 Excel', exported: '已开始下载 {name}', newMatter: '新建实事',
      title: '项目名称', categoryLabel: '类别', statusLabel: '状态', progress: '进度', place: '所属区域 / 受益小区', budgetSpent: '预算 / 已支出',
      dueOn: '计划完成', startsOn: '计划开工', survey: '满意度', scoreN: '{n} 分', householdsN: '{n} 户参评',
      // create / edit
      createTitle: '新建暖心实事', editTitle: '编辑实事项目', yearLabel: '年度', summary: '项目简介', summaryPh: '改造内容、惠及范围等（公开页展示，手机号会被遮挡）',
      owningRegion: '所属区域', owningRegionPh: '选择区、街道或社区', compounds: '受益小区', compoundsPh: '选择受益小区（须在所属区域内）',
      units: '责任单位', unitNamePh: '单位名称', allianceUnitPh: '搜索已认证的联盟单位', addUnit: '添加单位', budgetYuan: '预算（元）', dates: '计划工期',
      milestones: '里程碑', milestoneTitle: '里程碑名称', milestoneDue: '计划完成日期', weight: '权重', addRow: '添加一行',
      weightHint: '进度按里程碑权重计算：已完成里程碑的权重之和 ÷ 全部权重。',
      defaultMilestones: '方案设计与公示|施工|竣工验收',
      coverageLocked: '所属区域、受益小区与责任单位只能由所属区域的工作人员在验收前修改。',
      titleRequired: '请填写项目名称', categoryRequired: '请选择类别', regionRequired: '请选择所属区域', compoundsRequired: '请至少选择一个受益小区',
      dueRequired: '请选择计划完成日期', leadRequired: '请至少指定一个牵头单位', created: '实事项目已新建', saved: '已保存',
      // a matter
      back: '返回列表', viewPublic: '公开页', street: '所属街道', plan: '计划工期', createdAt: '创建时间', stamps: '进展',
      startedAt: '{d} 开工', acceptedAt: '{d} 验收', closedAt: '{d} 结项', notStarted: '尚未开工', milestonesDone: '里程碑 {done}/{n}',
      start: '开工', accept: '验收', close: '结项',
      startPrompt: '确认开工？可填写说明（可不填）。', acceptPrompt: '验收须全部里程碑已完成；验收后受益小区住户即可参加满意度测评。可填写验收意见（可不填）。',
      closePrompt: '结项后满意度测评截止，项目不再变更。可填写说明（可不填）。',
      startedDone: '已开工', acceptedDone: '已验收，满意度测评已开放', closedDone: '已结项',
      weightN: '权重 {n}', doneAt: '{d} 完成', dueAt: '计划 {d} 完成', milestoneOverdue: '超期', done: '已完成', complete: '完成', addMilestone: '添加里程碑',
      noMilestones: '暂无里程碑', milestoneRequired: '请至少填写一个里程碑名称', milestonesAdded: '已添加里程碑',
      completeTitle: '完成里程碑：{title}', completeNote: '完成情况说明（可不填，公开页展示）', completeNotePh: '例如：管网铺设完成 1.2 公里，已通过监理检查',
      evidencePhotos: '佐证照片（最多 9 张）', completeSubmit: '确认完成', completed: '里程碑已完成，当前进度 {n}%',
      photos: '施工前后对比', before: '施工前', after: '完工后', photoCount: '{n}/9 张', uploadPhotos: '上传照片', noPhotos: '暂无照片', photoKind: '照片类别',
      photosUpTo: '照片（还可上传 {n} 张）', upload: '上传', photosPick: '请选择要上传的照片', photosUploaded: '已上传 {n} 张照片',
      spending: '资金支出', spendingSummary: '已支出 {spent} / 预算 {budget}', overBudget: '已超预算', spendingAdd: '登记支出', amount: '金额',
      amountYuan: '金额（元）', spentOn: '支出日期', spendingNote: '用途', spendingNotePh: '例如：工程进度款', recordedBy: '登记人', recordedAt: '登记时间',
      noSpending: '暂无支出记录', amountRequired: '请填写金额', dateRequired: '请选择支出日期',
      spendingSaved: '已登记，累计支出 {spent}', overBudgetSaved: '已登记。注意：累计支出 {spent} 已超过预算 {budget}',
      surveyTitle: '居民满意度测评', surveyOpen: '测评进行中', surveyEnded: '测评已截止', surveyNotYet: '验收后开放',
      surveyAverage: '平均分', surveyCount: '参评户数', surveyRate: '参评率', surveyHouseholds: '受益小区共 {n} 户，每户一票', surveyWaits: '验收后受益小区住户即可在手机端参与测评', acceptNeedsAll: '全部里程碑完成后才能验收', comments: '居民留言', noComments: '暂无留言',
      // dashboard
      asOf: '统计日期 {d}', toList: '查看清单', total: '实事总数', overdueN: '逾期', avgProgress: '平均进度', totalBudgetWan: '总预算（万元）', totalSpentWan: '已支出（万元）',
      surveyAvgN: '平均满意度（{n} 户参评）', overdueList: '逾期事项（最早到期在前）', showingFirst: '显示前 {n} 项', noOverdue: '暂无逾期事项', lateDays: '逾期 {n} 天', milestoneBehind: '里程碑超期',
      byCategory: '按类别', byStreet: '按街道', chartByCategory: '各类别数量与逾期', chartByStreet: '各街道实事状态', count: '数量', budgetWan: '预算（万元）', spentWan: '已支出（万元）',
    },
  },
  en: {
    menu: { practicalMatters: 'Practical matters', practicalMatter: 'Practical matter', practicalDashboard: 'Matters dashboard' },
    practical: {
      searchPh: 'Search by name', allStatuses: 'All statuses', allCategories: 'All categories', allRegions: 'All regions', allYears: 'All years', yearN: '{n}',
      overdueOnly: 'Overdue only', exportXlsx: 'Export Excel', exported: 'Downloading {name}', newMatter: 'New matter',
      title: 'Name', categoryLabel: 'Category', statusLabel: 'Status', progress: 'Progress', place: 'Region / compounds', budgetSpent: 'Budget / spent',
      dueOn: 'Due', startsOn: 'Starts', survey: 'Satisfaction', scoreN: '{n} / 5', householdsN: '{n} households',
      createTitle: 'New practical matter', editTitle: 'Edit practical matter', yearLabel: 'Year', summary: 'Summary', summaryPh: 'What is done and for whom (shown publicly; phone numbers are masked)',
      owningRegion: 'Owning region', owningRegionPh: 'The district, a street or a community', compounds: 'Compounds served', compoundsPh: 'Compounds inside the owning region',
      units: 'Responsible units', unitNamePh: 'Unit name', allianceUnitPh: 'Search verified alliance units', addUnit: 'Add unit', budgetYuan: 'Budget (yuan)', dates: 'Schedule',
      milestones: 'Milestones', milestoneTitle: 'Milestone', milestoneDue: 'Due date', weight: 'Weight', addRow: 'Add a row',
      weightHint: 'Progress is weighted: the weights of completed milestones over all weights.',
      defaultMilestones: 'Design and public notice|Works|Acceptance',
      coverageLocked: 'Only the owning region\'s workers may change the region, compounds and units, and only before acceptance.',
      titleRequired: 'Enter a name', categoryRequired: 'Pick a category', regionRequired: 'Pick the owning region', compoundsRequired: 'Pick at least one compound',
      dueRequired: 'Pick the due date', leadRequired: 'Name at least one lead unit', created: 'Practical matter created', saved: 'Saved',
      back: 'Back to the list', viewPublic: 'Public page', street: 'Street', plan: 'Schedule', createdAt: 'Created', stamps: 'Steps',
      startedAt: 'started {d}', acceptedAt: 'accepted {d}', closedAt: 'closed {d}', notStarted: 'Not started', milestonesDone: 'Milestones {done}/{n}',
      start: 'Start', accept: 'Accept', close: 'Close',
      startPrompt: 'Start the works? A note is optional.', acceptPrompt: 'Every milestone must be done; after acceptance the served households may answer the survey. A note is optional.',
      closePrompt: 'Closing ends the survey and freezes the matter. A note is optional.',
      startedDone: 'Started', acceptedDone: 'Accepted; the survey is open', closedDone: 'Closed',
      weightN: 'weight {n}', doneAt: 'done {d}', dueAt: 'due {d}', milestoneOverdue: 'Late', done: 'Done', complete: 'Complete', addMilestone: 'Add milestones',
      noMilestones: 'No milestones', milestoneRequired: 'Enter at least one milestone', milestonesAdded: 'Milestones added',
      completeTitle: 'Complete: {title}', completeNote: 'What was done (optional, shown publicly)', completeNotePh: 'e.g. 1.2 km of pipes laid and inspected',
      evidencePhotos: 'Evidence photos (up to 9)', completeSubmit: 'Complete', completed: 'Milestone completed; progress is now {n}%',
      photos: 'Before and after', before: 'Before', after: 'After', photoCount: '{n}/9', uploadPhotos: 'Upload photos', noPhotos: 'No photos', photoKind: 'Kind',
      photosUpTo: 'Photos (up to {n} more)', upload: 'Upload', photosPick: 'Pick the photos to upload', photosUploaded: '{n} photos uploaded',
      spending: 'Spending', spendingSummary: 'Spent {spent} of {budget}', overBudget: 'Over budget', spendingAdd: 'Record spending', amount: 'Amount',
      amountYuan: 'Amount (yuan)', spentOn: 'Date', spendingNote: 'Purpose', spendingNotePh: 'e.g. progress payment', recordedBy: 'Recorded by', recordedAt: 'Recorded',
      noSpending: 'No spending yet', amountRequired: 'Enter the amount', dateRequired: 'Pick the date',
      spendingSaved: 'Recorded; {spent} spent in total', overBudgetSaved: 'Recorded. Note: {spent} spent in total, over the budget of {budget}',
      surveyTitle: 'Residents\' satisfaction survey', surveyOpen: 'Open', surveyEnded: 'Ended', surveyNotYet: 'Opens on acceptance',
      surveyAverage: 'Average', surveyCount: 'Households', surveyRate: 'Turnout', surveyHouseholds: '{n} households served, one answer each', surveyWaits: 'Once accepted, the households served answer on their phones', acceptNeedsAll: 'Every milestone must be done first', comments: 'Comments', noComments: 'No comments',
      asOf: 'As of {d}', toList: 'Open the list', total: 'Matters', overdueN: 'Overdue', avgProgress: 'Average progress', totalBudgetWan: 'Budget (10k yuan)', totalSpentWan: 'Spent (10k yuan)',
      surveyAvgN: 'Average satisfaction ({n} households)', overdueList: 'Overdue (earliest due first)', showingFirst: 'first {n} shown', noOverdue: 'Nothing overdue', lateDays: '{n} days late', milestoneBehind: 'a milestone is late',
      byCategory: 'By category', byStreet: 'By street', chartByCategory: 'Count and overdue by category', chartByStreet: 'Status by street', count: 'Count', budgetWan: 'Budget (10k yuan)', spentWan: 'Spent (10k yuan)',
    },
  },
} satisfies Messages;

/** Fails the type check when the English and the Chinese keys differ. */
export type PracticalMessagesPaired = Paired<typeof practicalMessages>;

/** Element Plus tag types per status. */
export const MATTER_TAG: Record<MatterStatus, 'primary' | 'success' | 'warning' | 'info' | 'danger'> = {
  planned: 'info', in_progress: 'primary', accepted: 'success', closed: 'info',
};
