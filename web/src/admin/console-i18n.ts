import type { Messages } from '@shared/i18n';

/**
 * Words for console conventions: audit actions and summaries beyond the core set, field errors,
 * the pager, the dashboard to-do list and the season-end assignment terms.
 */
const zh = {
  audit: {
    actions: {
      alliance: '联盟单位', alliance_apply: '申请加入联盟', alliance_approved: '批准加入联盟', alliance_rejected: '驳回入盟申请',
      assignment: '季末分配', assignment_accept: '确认分配方案', assignment_propose: '生成分配方案',
      auth_policy: '修改登录策略', auth_wechat_bind: '微信账号绑定',
      booking: '场地预约', booking_cancel: '取消预约', booking_checkin: '预约签到', booking_create: '预约场地', booking_sweep: '爽约处理',
      brain: '红色大脑', brain_connector_create: '新建数据接口', brain_connector_update: '修改数据接口', brain_dataset_create: '新建数据集', brain_dataset_update: '修改数据集',
      brain_department_account: '部门账号', brain_department_create: '新建部门', brain_match_label: '标注比对结果', brain_match_rescore: '重新评分',
      brain_match_start: '发起人员比对', brain_registry_sync: '同步系统目录', brain_system_create: '登记业务系统', brain_task_create: '下发核查任务',
      brain_task_escalate: '核查任务上报', brain_task_result: '提交核查结果',
      compound_assessment: '小区考评', compound_assessment_save: '保存小区考评', compound_follow_up: '议定事项', compound_follow_up_done: '议定事项办结',
      compound_meeting: '联席会议', compound_meeting_create: '记录联席会议', compound_party: '小区治理主体', compound_party_create: '登记治理主体', compound_party_update: '修改治理主体',
      compound_post: '交叉任职', compound_post_create: '登记交叉任职', compound_post_update: '修改交叉任职', compound_rating: '小区评价', compound_rating_create: '提交小区评价',
      consultation: '协商议事', consultation_create: '发起协商', consultation_post: '发表议事意见', consultation_stage: '推进协商阶段',
      elevator: '加装电梯', elevator_create: '登记加装电梯项目', elevator_stage: '推进电梯项目阶段',
      need: '需求清单', need_create: '登记需求',
      notice: '社区公告', notice_attach: '添加公告附件', notice_detach: '删除公告附件', notice_publish: '发布公告', notice_update: '修改公告', notice_withdraw: '撤回公告',
      owners: '业主名册', owners_import: '导入业主名册', owners_update: '修改业主名册',
      party_activity: '党组织活动', party_activity_checkin: '活动签到', party_activity_create: '发布活动', party_activity_minutes: '上传活动纪要', party_activity_photos: '上传活动照片',
      party_points: '党员积分', party_points_rules: '修改积分规则',
      party_post: '党员志愿岗位', party_post_create: '设立志愿岗位', party_post_hours: '登记服务时长', party_post_volunteer: '报名志愿岗位', party_post_accept: '同意报名', party_post_decline: '拒绝报名',
      position: '服务阵地', position_create: '新建服务阵地', position_photo_delete: '删除阵地照片', position_photos: '上传阵地照片', position_update: '修改服务阵地',
      practical: '暖心实事', practical_create: '新建实事', practical_milestone_done: '实事节点完成', practical_milestones: '修改实事节点', practical_photos: '上传实事照片',
      practical_spending: '登记实事支出', practical_status: '变更实事状态', practical_survey: '实事满意度调查', practical_update: '修改实事',
      project: '共建项目', project_create: '新建共建项目', project_milestone: '更新项目进度',
      resource: '资源清单', resource_offer: '登记资源',
      room: '房屋/功能室', room_create: '新增房屋', room_update: '修改房屋',
      service_request: '报事报修', service_request_accept: '受理报修', service_request_close: '关闭报修', service_request_create: '提交报修', service_request_done: '报修办结',
      service_request_escalate: '报修升级', service_request_photos: '上传报修照片', service_request_rate: '评价报修', service_request_reopen: '重新打开报修',
      service_request_start: '开始处理报修', service_request_urge: '催办报修', service_type: '报修类型', service_type_create: '新增报修类型',
      station: '服务站点', station_close: '关闭站点', station_create: '新建站点', station_import: '导入站点', station_reopen: '重新开放站点', station_update: '修改站点',
      station_service: '站点服务', station_service_done: '站点服务完成', station_service_rate: '评价站点服务', station_service_request: '申请站点服务', station_service_take: '接单站点服务',
      vote: '表决', vote_ballot: '投票', vote_close: '结束表决并计票', vote_create: '新建表决', vote_objection: '提出异议', vote_objection_stage: '处理异议',
      vote_open: '开始表决', vote_scan: '上传纸质选票', vote_update: '修改表决', wish_claim_flagged: '认领异常提醒',
    },
    targets: {
      alliance_unit: '联盟单位', brain_connector: '数据接口', brain_dataset: '数据集', brain_department: '部门', brain_match_job: '比对任务', brain_system: '业务系统',
      brain_verification_task: '核查任务', compound_assessment: '小区考评', compound_follow_up: '议定事项', compound_meeting: '联席会议', compound_party: '治理主体',
      compound_post: '交叉任职', compound_rating: '小区评价', consultation: '协商议题', coop_project: '共建项目', elevator_project: '电梯项目', function_room: '功能室',
      need: '需求', notice: '公告', owner_register: '业主名册', party_activity: '党组织活动', party_point_rule: '积分规则', party_volunteer_post: '志愿岗位',
      practical_matter: '暖心实事', resource: '资源', room: '房屋', room_booking: '场地预约', service_position: '服务阵地', service_request: '报事报修',
      service_type: '报修类型', sign_in_policy: '登录策略', station: '站点', station_service: '站点服务', vote: '表决',
    },
  },
  auditSummary: {
    keys: {
      name: '名称', title: '标题', changed: '修改项', memberId: '党员', kind: '类型', from: '原阶段/状态', to: '新阶段/状态', regionId: '区域', note: '备注', count: '数量',
      compoundId: '小区', rows: '行数', reason: '原因', photos: '照片', phone: '手机号', organisationId: '组织', code: '编号', claimerId: '认领人', updated: '更新',
      topic: '议题', thresholds: '通过门槛', status: '状态', startsAt: '开始时间', serviceCode: '服务', score: '得分', scopeRegionId: '管辖区域', rooms: '房屋数',
      personId: '人员', level: '层级', idNumber: '身份证号', fields: '字段', created: '新增', communityId: '社区', channel: '来源', at: '时间', wishes: '心愿数',
      window: '时段', wasClosed: '原已关闭', username: '用户名', updatedIds: '更新记录', titles: '标题', team: '队伍', staffAccountIds: '工作人员', slots: '时段',
      slaHours: '时限（小时）', shareType: '分摊方式', service: '服务', seasonId: '心愿季', schedule: '排班', roomId: '房屋', rolesBefore: '原角色', roles: '角色',
      right: '权利', result: '结果', proposalId: '方案', probability: '匹配概率', postId: '岗位', placed: '已分配', pinned: '置顶', photo: '照片', passed: '是否通过',
      partyId: '治理主体', parentId: '上级', pair: '比对对象', ownerUnitId: '业主单位', outcome: '结果', openid: '微信标识', objectionId: '异议', notified: '已通知',
      noShows: '爽约次数', milestones: '节点', members: '成员', locked: '已锁定', length: '长度', left: '剩余', lastId: '末条记录', jobId: '比对任务', invited: '受邀',
      inserted: '新增条数', heldOn: '召开日期', heads: '人数', headcount: '人数', greedyCost: '逐个分配的差距', followUps: '议定事项', firstId: '首条记录', fileId: '文件',
      failedLogins: '失败次数', expiresAt: '到期时间', expired: '已到期', entryId: '记录', endsAt: '结束时间', enabled: '启用', dueAt: '截止时间', department: '部门',
      deleted: '删除', decision: '决定', dataset: '数据集', cost: '匹配差距', compoundIds: '小区', comment: '意见', closedReason: '关闭原因', clientId: '客户端',
      claimId: '认领记录', byWorker: '工作人员代办', by: '操作方式', budgetFen: '预算（分）', before: '修改前', ballots: '票数', attendees: '参会人', assigneeId: '承办人',
      added: '新增', account: '账号', accepted: '已接受', id: '编号', stage: '阶段', season: '心愿季', value: '价值', category: '类别', target: '对象',
    },
    values: {
      propose: '提议', deliberate: '议事', decide: '决定', implement: '实施', supervise: '监督', evaluate: '评价', closed: '已结束', draft: '未开始', open: '进行中',
      pending: '待审核', published: '已发布', claimed: '已认领', fulfilled: '已圆梦', confirmed: '已确认', rejected: '已驳回', withdrawn: '已撤回', released: '已释放',
      proposed: '待确认', accepted: '已确认', declined: '已拒绝', approved: '已批准', done: '已完成', active: '进行中', cancelled: '已取消', expired: '已过期',
      major: '重大事项', ordinary: '一般事项', agree: '同意', disagree: '不同意', abstain: '弃权', paper: '纸质', online: '线上', resident: '居民', worker: '工作人员',
      true: '是', false: '否',
    },
  },
  fieldError: {
    idRequired: '请输入身份证号', idLength: '身份证号应为 18 位，当前 {n} 位', idChars: '身份证号前 17 位应为数字，末位为数字或 X',
    idDate: '身份证号中的出生日期 {date} 不存在', idCheck: '身份证号校验位不对（按前 17 位应为 {c}），请逐位核对',
    idFilled: '已按身份证号填入性别与出生日期',
    mobile: { length: '手机号应为 11 位，当前 {n} 位', chars: '手机号只能包含数字', prefix: '手机号应以 13–19 开头' },
  },
  consultAdmin: { stageFilter: '阶段' },
  pager: { label: '分页', sizes: '每页条数', jump: '跳转到页' },
  layout: { expandMenu: '展开菜单', collapseMenu: '收起菜单', breadcrumb: '当前位置', tabs: '已打开的页面', closeTab: '关闭 {title}', home: '首页' },
  todo: {
    title: '待办事项', none: '暂无待办', reviewWishes: '待审核心愿', enterBallots: '待录入纸质选票', claimsDue: '即将到期的认领',
    reviewWishesHint: '居民提交、等待审核', enterBallotsHint: '投票中的表决，尚有房屋未投票', claimsDueHint: '{days} 天内到期、尚未圆梦', dueFilter: '认领 {days} 天内到期', open: '去处理',
  },
  assignmentTerms: {
    status: { proposed: '待确认', accepted: '已全部确认', discarded: '已作废（有新方案）' },
    outcome: { claimed: '已认领', skipped: '已跳过：心愿已不在待认领状态' },
  },
};

const en: typeof zh = {
  audit: {
    actions: Object.fromEntries(Object.keys(zh.audit.actions).map((k) => [k, k.replace(/_/g, ' ')])) as typeof zh.audit.actions,
    targets: Object.fromEntries(Object.keys(zh.audit.targets).map((k) => [k, k.replace(/_/g, ' ')])) as typeof zh.audit.targets,
  },
  auditSummary: {
    keys: Object.fromEntries(Object.keys(zh.auditSummary.keys).map((k) => [k, k.replace(/([A-Z])/g, ' $1').toLowerCase()])) as typeof zh.auditSummary.keys,
    values: Object.fromEntries(Object.keys(zh.auditSummary.values).map((k) => [k, k === 'true' ? 'yes' : k === 'false' ? 'no' : k])) as typeof zh.auditSummary.values,
  },
  fieldError: {
    idRequired: 'Enter the ID number', idLength: 'An ID number has 18 characters; {n} typed', idChars: 'The first 17 characters are digits; the last is a digit or X',
    idDate: 'The birth date {date} in the ID number does not exist', idCheck: 'The check character is wrong (the first 17 digits give {c}); check each digit',
    idFilled: 'Sex and date of birth filled from the ID number',
    mobile: { length: 'A mobile number has 11 digits; {n} typed', chars: 'Digits only', prefix: 'A mobile number starts with 13–19' },
  },
  consultAdmin: { stageFilter: 'Stage' },
  pager: { label: 'Pages', sizes: 'Rows per page', jump: 'Go to page' },
  layout: { expandMenu: 'Expand menu', collapseMenu: 'Collapse menu', breadcrumb: 'You are here', tabs: 'Open pages', closeTab: 'Close {title}', home: 'Home' },
  todo: {
    title: 'To do', none: 'Nothing to do', reviewWishes: 'Wishes to review', enterBallots: 'Paper ballots to enter', claimsDue: 'Claims near their deadline',
    reviewWishesHint: 'Submitted by residents, awaiting review', enterBallotsHint: 'Open votes with rooms yet to vote', claimsDueHint: 'Due within {days} days, not yet fulfilled', dueFilter: 'Claims due within {days} days', open: 'Open',
  },
  assignmentTerms: {
    status: { proposed: 'Awaiting confirmation', accepted: 'All confirmed', discarded: 'Discarded (a newer plan exists)' },
    outcome: { claimed: 'Claimed', skipped: 'Skipped: the wish is no longer open' },
  },
};

export const consoleMessages: Messages = { 'zh-CN': zh, en };
