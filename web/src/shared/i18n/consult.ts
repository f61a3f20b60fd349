import type { Messages, Paired } from './index';

/** Consultation, vote and elevator words the H5 and the console share (loaded with those pages). */
export const consultCommon = {
  'zh-CN': {
    consult: {
      stage: { propose: '提', deliberate: '议', decide: '定', implement: '办', supervise: '督', evaluate: '评', closed: '结' },
      stageLong: {
        propose: '提出议题', deliberate: '协商议事', decide: '形成决定', implement: '落实办理', supervise: '监督跟进', evaluate: '评价反馈', closed: '已结束',
      },
      kind: {
        post: '发言', reply: '回复', expert_qa: '专家答疑', meeting: '议事会议', site_visit: '现场查看', decision: '决定', follow_up: '跟进',
        evaluation: '评价', stage: '阶段推进',
      },
      party: { residents_committee: '居委会', owners_committee: '业委会', property_company: '物业公司', grid_worker: '网格员', experts: '专家' },
      meta: { time: '时间', venue: '地点', attendees: '参加人员', minutes: '纪要' },
      topic: '议题', scope: '范围', stageLabel: '阶段', parties: '参与方', createdAt: '发起时间', description: '议题说明', record: '议事记录',
      votes: '表决', noVotes: '暂无表决', noRecord: '暂无记录', objectionTag: '异议', objectionBody: '异议内容', stageMove: '进入「{stage}」阶段',
    },
    vote: {
      rule: { major: '重大事项', ordinary: '一般事项', custom: '自定义规则' },
      ruleHint: {
        major: '参与：专有面积和人数均占 2/3 以上；同意：参与表决的专有面积和人数均占 3/4 以上',
        ordinary: '参与：专有面积和人数均占 2/3 以上；同意：参与表决的专有面积和人数均过半数',
        custom: '参与 {participation}；同意 {consent}',
      },
      status: { draft: '未开始', open: '投票中', closed: '已结束' },
      choice: { agree: '同意', disagree: '不同意', abstain: '弃权' },
      channel: { h5: '线上', paper: '纸质' },
      ratio: { participationArea: '参与表决的专有面积', participationHeads: '参与表决的人数', consentArea: '同意的专有面积', consentHeads: '同意的人数' },
      ratioOf: {
        participationArea: '占总专有面积', participationHeads: '占业主总人数', consentArea: '占参与表决面积', consentHeads: '占参与表决人数',
      },
      heads: '{n} 人', threshold: '门槛', passed: '通过', failed: '未通过', secret: '不记名投票', opensAt: '开始时间', closesAt: '截止时间',
      noticeUntil: '公示至', noticeDays: '公示天数', counts: '{voted} / {rooms} 户已投票', provisional: '临时计票（表决进行中）',
      objectionsOpen: '未办结异议 {n} 件', final: '公示期满，结果生效', inNotice: '公示中',
      tally: '共 {rooms} 套房屋、{heads} 人（户）；收回 {ballots} 票：同意 {agree}、不同意 {disagree}、弃权 {abstain}',
      participation: '参与表决', consent: '同意',
      objectionStage: { negotiation: '协商', community_mediation: '社区调解', street_mediation: '街道调解', closed: '已办结' },
    },
    elevator: {
      stage: {
        willingness_survey: '意愿征询', vote: '业主表决', owners_agreement: '签订业主协议', design_notice: '设计方案公示', objection_handling: '异议处理',
        planning_review: '规划审查', drawing_review: '施工图审查', construction_permit: '施工许可', installation_notice: '安装告知', construction: '施工',
        acceptance: '竣工验收', use_registration: '使用登记', in_service: '投入使用',
      },
      group: { preparing: '筹备中', approved: '已批准', under_construction: '在建', completed: '已投用' },
      totalCost: '总造价', subsidy: '政府补贴', payable: '业主分摊', share: '分摊金额', coefficient: '楼层系数', floor: '楼层', area: '面积', room: '房屋',
      startedOn: '开始', completedOn: '完成', responsible: '责任人', documents: '文件', note: '备注', developer: '开发商未售',
    },
  },
  en: {
    consult: {
      stage: { propose: 'Propose', deliberate: 'Deliberate', decide: 'Decide', implement: 'Implement', supervise: 'Supervise', evaluate: 'Evaluate', closed: 'Closed' },
      stageLong: {
        propose: 'Topic proposed', deliberate: 'Deliberation', decide: 'Decision', implement: 'Implementation', supervise: 'Supervision', evaluate: 'Evaluation', closed: 'Closed',
      },
      kind: {
        post: 'Post', reply: 'Reply', expert_qa: 'Expert Q&A', meeting: 'Meeting', site_visit: 'Site visit', decision: 'Decision', follow_up: 'Follow-up',
        evaluation: 'Evaluation', stage: 'Stage',
      },
      party: { residents_committee: 'Residents\' committee', owners_committee: 'Owners\' committee', property_company: 'Property company', grid_worker: 'Grid worker', experts: 'Experts' },
      meta: { time: 'Time', venue: 'Place', attendees: 'Attendees', minutes: 'Minutes' },
      topic: 'Topic', scope: 'Scope', stageLabel: 'Stage', parties: 'Parties', createdAt: 'Started', description: 'Description', record: 'Record',
      votes: 'Votes', noVotes: 'No votes yet', noRecord: 'Nothing recorded yet', objectionTag: 'Objection', objectionBody: 'Objection', stageMove: 'Moved to “{stage}”',
    },
    vote: {
      rule: { major: 'Major matter', ordinary: 'Ordinary matter', custom: 'Custom rule' },
      ruleHint: {
        major: 'Participation ≥ 2/3 of area and owners; consent ≥ 3/4 of participating area and owners',
        ordinary: 'Participation ≥ 2/3 of area and owners; consent > 1/2 of participating area and owners',
        custom: 'Participation {participation}; consent {consent}',
      },
      status: { draft: 'Not open', open: 'Open', closed: 'Closed' },
      choice: { agree: 'Agree', disagree: 'Disagree', abstain: 'Abstain' },
      channel: { h5: 'Online', paper: 'Paper' },
      ratio: { participationArea: 'Participating area', participationHeads: 'Participating owners', consentArea: 'Consenting area', consentHeads: 'Consenting owners' },
      ratioOf: {
        participationArea: 'of total exclusive area', participationHeads: 'of all owners', consentArea: 'of participating area', consentHeads: 'of participating owners',
      },
      heads: '{n}', threshold: 'Threshold', passed: 'Passed', failed: 'Not passed', secret: 'Secret ballot', opensAt: 'Opens', closesAt: 'Closes',
      noticeUntil: 'Notice until', noticeDays: 'Notice days', counts: '{voted} / {rooms} rooms voted', provisional: 'Provisional count (voting open)',
      objectionsOpen: '{n} open objections', final: 'Notice over — result final', inNotice: 'In public notice',
      tally: '{rooms} rooms, {heads} owners; {ballots} ballots: {agree} agree, {disagree} disagree, {abstain} abstain',
      participation: 'Participation', consent: 'Consent',
      objectionStage: { negotiation: 'Negotiation', community_mediation: 'Community mediation', street_mediation: 'Street mediation', closed: 'Closed' },
    },
    elevator: {
      stage: {
        willingness_survey: 'Willingness survey', vote: 'Owners\' vote', owners_agreement: 'Owners\' agreement', design_notice: 'Design notice', objection_handling: 'Objections',
        planning_review: 'Planning review', drawing_review: 'Drawing review', construction_permit: 'Construction permit', installation_notice: 'Installation notice',
        construction: 'Construction', acceptance: 'Acceptance', use_registration: 'Use registration', in_service: 'In service',
      },
      group: { preparing: 'Preparing', approved: 'Approved', under_construction: 'Under construction', completed: 'In service' },
      totalCost: 'Total cost', subsidy: 'Subsidy', payable: 'Paid by owners', share: 'Share', coefficient: 'Floor factor', floor: 'Floor', area: 'Area', room: 'Room',
      startedOn: 'Started', completedOn: 'Completed', responsible: 'Responsible', documents: 'Documents', note: 'Note', developer: 'Unsold (developer)',
    },
  },
} satisfies Messages;

/** Fails the type check when the English and the Chinese keys differ. */
export type ConsultCommonPaired = Paired<typeof consultCommon>;
