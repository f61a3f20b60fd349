import type { Messages, Paired } from '@shared/i18n';

/**
 * Red Property console words: service positions, rooms and bookings; service requests and their
 * statistics; Open311 client keys. Merged into the console's messages in ./i18n.ts (the menu needs
 * them before any page loads). Every code a person sees is named here.
 */
export const propertyMessages = {
  'zh-CN': {
    menu: {
      positions: '服务阵地', position: '阵地详情', bookings: '场地预约', bookingStats: '功能室统计',
      requests: '报事报修', request: '报事详情', requestStats: '报事统计', open311Keys: 'Open311 密钥',
    },
    property: {
      level: { street: '街道党群服务中心', community: '社区党群服务中心', compound: '小区服务站' },
      roomKind: { service: '服务站', health: '健康小屋', mediation: '调解厅', activity: '活动室', reading: '阅览室', meeting: '会议室', other: '其他' },
      whoMayBook: { compound_residents: '本小区居民', any_resident: '居民及联盟单位', units: '仅联盟单位', workers: '仅工作人员' },
      bookingStatus: { pending: '待审批', confirmed: '已确认', checked_in: '已签到', cancelled: '已取消', rejected: '未通过', expired: '已过期', no_show: '未到场' },
      // positions
      newPosition: '新建阵地', editPosition: '编辑阵地', positionName: '阵地名称', levelLabel: '层级', region: '所在区域', regionPh: '选择街道、社区或小区',
      levelAuto: '按所在区域自动确定：{level}', address: '地址', hours: '开放时间说明', hoursPh: '如：周一至周日 8:30-20:30', opensAt: '开门', closesAt: '关门',
      openTime: '开放时段', lat: '纬度', lng: '经度', description: '简介', staff: '值班人员', noStaff: '未设置', rooms: '功能室', roomCount: '{n} 间',
      active: '启用', inactive: '已停用', status: '状态', allLevels: '全部层级', allStates: '全部状态', searchPositions: '搜索阵地名称',
      stop: '停用', start: '启用', stopConfirm: '停用「{name}」？停用后居民无法预约其功能室。', startConfirm: '重新启用「{name}」？', stopped: '已停用', started: '已启用',
      view: '查看', nameRequired: '请填写名称', regionRequired: '请选择所在区域', addressRequired: '请填写地址',
      // rooms
      newRoom: '新建功能室', editRoom: '编辑功能室', roomName: '功能室名称', kind: '类型', capacity: '容纳人数', equipment: '设施设备', equipmentPh: '输入后回车添加',
      rules: '预约规则', whoMayBookLabel: '可预约对象', advanceDays: '最多提前', advanceUnit: '天', maxMinutes: '单次最长', minutesUnit: '分钟',
      needsApproval: '需要审批', rotateCode: '更换签到二维码（旧码失效）', rulesText: '提前 {days} 天 · 最长 {minutes} 分钟', approvalTag: '需审批',
      qr: '签到二维码', qrTitle: '{room} 签到二维码', qrHint: '张贴在功能室门口：预约人开始前后 15 分钟内扫码签到', print: '打印',
      // calendar
      week: '本周预约', prevWeek: '上一周', nextWeek: '下一周', thisWeek: '本周', weekOf: '{from} 至 {to}', showClosed: '显示已取消/未通过',
      noBookings: '本周暂无预约', roomColumn: '功能室', weekday: { d1: '周一', d2: '周二', d3: '周三', d4: '周四', d5: '周五', d6: '周六', d7: '周日' },
      // bookings
      booking: '预约', time: '时间', position: '阵地', room: '功能室', booker: '预约人', purpose: '用途', headcount: '人数', note: '说明',
      allPositions: '全部阵地', dates: '日期范围', from: '开始日期', to: '结束日期', createdAt: '提交时间',
      approve: '通过', reject: '不通过', cancel: '取消预约', approveConfirm: '通过预约：{what}？', rejectPrompt: '请填写不通过的原因（将通知预约人）：{what}',
      cancelPrompt: '请填写取消原因（将通知预约人）：{what}', approveDone: '已通过', rejectDone: '已驳回', cancelDone: '已取消',
      decisionNote: '审批意见', cancelReason: '取消原因', checkedInAt: '签到时间', pendingCount: '待审批 {n} 条',
      // booking statistics
      byRoom: '按功能室', byPosition: '按阵地', bookingsN: '预约次数', noShows: '未到场', openHours: '开放时长(小时)', hoursBooked: '预约时长(小时)',
      hoursUsed: '使用时长(小时)', occupancy: '占用率', exportXlsx: '导出 Excel', exported: '已开始下载 {name}', statsRange: '{from} 至 {to}，共 {days} 天',
      totalBookings: '预约次数', totalBooked: '预约时长', totalUsed: '使用时长', avgOccupancy: '平均占用率', hoursN: '{n} 小时',
    },
    request: {
      status: { submitted: '已提交', accepted: '已受理', assigned: '已派单', in_progress: '处理中', done: '已完成', rated: '已评价', closed: '已办结' },
      team: { property: '物业公司', community: '社区', alliance: '联盟服务单位' },
      outcome: { fixed: '已解决', not_ours: '非本单位职责', duplicate: '重复件', referred: '已转交其他部门' },
      channel: { self: '居民自报', on_behalf: '工作人员代报', open311: 'Open311 接口' },
      event: {
        submitted: '提交', photos: '补充照片', accepted: '受理', assigned: '派单', grabbed: '抢单', started: '开始处理', done: '处理完成', rated: '评价',
        closed: '办结', reopened: '重新打开', urged: '催办', escalated_community: '超时升级至社区', escalated_street: '超时升级至街道',
      },
      view: { all: '全部', unassigned: '待派单', mine: '我的', overdue: '已超时' },
      escalation: { l1: '已升级至社区', l2: '已升级至街道' },
      role: { street_worker: '街道工作者', community_worker: '社区工作者', grid_worker: '网格员', property_staff: '物业人员', alliance_unit: '联盟单位', district_admin: '区级管理员' },
      // board
      id: '编号', category: '类别', allGroups: '全部分组', allCategories: '全部类别', compound: '小区', allCompounds: '全部小区', allStatuses: '全部状态',
      description: '描述', statusLabel: '状态', teamLabel: '处理单位', due: '办理时限', overdue: '已超时', dueIn: '{at} 前', createdAt: '提交时间',
      assigned: '已派', unassigned: '未派', open: '处理', hoursSla: '{n} 小时',
      // the request page
      back: '返回派单台', location: '位置', community: '社区', roomLabel: '房屋', preferredTime: '期望上门时间', channelLabel: '来源', requester: '报事人',
      contactHidden: '无权查看', assignee: '处理人', noAssignee: '未派单', attributes: '补充信息', photos: '照片', requestPhotos: '报事照片', donePhotos: '完成照片',
      doneNote: '处理说明', rating: '评价', ratingText: '评价内容', outcomeLabel: '办结结果', duplicateOf: '重复于', referredTo: '转交至', closeNote: '办结说明',
      urged: '催办 {n} 次', reopened: '重新打开 {n} 次', timeline: '处理时间线', noTimeline: '暂无记录', slaLine: '时限 {n} 小时，{at} 前',
      accept: '受理', grab: '抢单', assign: '派单', reassign: '改派', startWork: '开始处理', finish: '处理完成', close: '办结',
      acceptConfirm: '受理该报事？', grabConfirm: '由我处理该报事？', startConfirm: '开始处理该报事？',
      acceptDone: '已受理', grabDone: '已由您处理', assignDone: '已派单', startDone: '已开始处理', finishDone: '已完成', closeDone: '已办结',
      assignTitle: '派单', assigneeLabel: '处理人', assigneePh: '选择处理单位的人员', noCandidates: '该报事的处理单位暂无可派的人员', assigneeRequired: '请选择处理人',
      finishTitle: '处理完成', notePh: '处理经过与结果，将告知报事人', noteRequired: '请填写处理说明', addPhotos: '完成照片（可选，最多 9 张）',
      closeTitle: '办结报事', outcomePh: '选择办结结果', outcomeRequired: '请选择办结结果', fixedNeedsDone: '“已解决”须先处理完成', duplicateOfPh: '被重复的报事编号',
      referredToPh: '如：区城管局', closeNotePh: '可选', stars: '{n} 星', none: '无',
      // statistics
      by: { compound: '按小区', team: '按处理单位', category: '按类别' },
      keyHead: { compound: '小区', team: '处理单位', category: '类别' },
      volume: '数量', openN: '未办结', doneN: '已完成', median: '完成用时中位数(小时)', slaMet: '按时完成率', rated: '评价数', avgRating: '平均评分',
      total: '合计', allTime: '全部时间', chartTitle: '报事数量与完成数', totalVolume: '报事总数', totalDone: '已完成', totalRated: '已评价', overallRating: '平均评分',
    },
    open311: {
      title: 'Open311 客户端密钥', intro: '为 12345 热线等外部系统签发 Open311 GeoReport v2 接口的 api_key。密钥只显示一次，系统中只保存其哈希。',
      name: '客户端名称', namePh: '如：12345 热线', issue: '签发密钥', issued: '密钥已签发', keyTitle: '新密钥：{name}', keyOnce: '请立即复制并妥善保存，关闭后无法再次查看。',
      copy: '复制', copied: '已复制到剪贴板', copyFailed: '复制失败，请手动选择后复制', clients: '已签发的客户端', createdAt: '签发时间', createdBy: '签发人',
      state: '状态', live: '有效', revokedAt: '{at} 吊销', revoke: '吊销', revokeConfirm: '吊销「{name}」的密钥？吊销后它提交的报事将被拒绝。', revoked: '已吊销',
      nameRequired: '请填写客户端名称', endpoint: '接口地址',
    },
  },
  en: {
    menu: {
      positions: 'Service positions', position: 'Position', bookings: 'Room bookings', bookingStats: 'Room usage',
      requests: 'Service requests', request: 'Service request', requestStats: 'Request statistics', open311Keys: 'Open311 keys',
    },
    property: {
      level: { street: 'Street service centre', community: 'Community service centre', compound: 'Compound station' },
      roomKind: { service: 'Service desk', health: 'Health hut', mediation: 'Mediation hall', activity: 'Activity room', reading: 'Reading room', meeting: 'Meeting room', other: 'Other' },
      whoMayBook: { compound_residents: 'Residents of the compound', any_resident: 'Residents and alliance units', units: 'Alliance units only', workers: 'Staff only' },
      bookingStatus: { pending: 'Awaiting approval', confirmed: 'Confirmed', checked_in: 'Checked in', cancelled: 'Cancelled', rejected: 'Rejected', expired: 'Expired', no_show: 'No-show' },
      newPosition: 'New position', editPosition: 'Edit position', positionName: 'Name', levelLabel: 'Level', region: 'Region', regionPh: 'Pick a street, community or compound',
      levelAuto: 'Set by the region: {level}', address: 'Address', hours: 'Opening hours (text)', hoursPh: 'e.g. Daily 8:30-20:30', opensAt: 'Opens', closesAt: 'Closes',
      openTime: 'Hours', lat: 'Latitude', lng: 'Longitude', description: 'Description', staff: 'Staff on duty', noStaff: 'None', rooms: 'Rooms', roomCount: '{n} rooms',
      active: 'Open', inactive: 'Stopped', status: 'Status', allLevels: 'All levels', allStates: 'All states', searchPositions: 'Search positions',
      stop: 'Stop', start: 'Reopen', stopConfirm: 'Stop “{name}”? Residents can no longer book its rooms.', startConfirm: 'Reopen “{name}”?', stopped: 'Stopped', started: 'Reopened',
      view: 'View', nameRequired: 'Enter a name', regionRequired: 'Pick a region', addressRequired: 'Enter an address',
      newRoom: 'New room', editRoom: 'Edit room', roomName: 'Room name', kind: 'Kind', capacity: 'Capacity', equipment: 'Equipment', equipmentPh: 'Type and press Enter',
      rules: 'Booking rules', whoMayBookLabel: 'Who may book', advanceDays: 'Book ahead', advanceUnit: 'days', maxMinutes: 'Longest booking', minutesUnit: 'min',
      needsApproval: 'Needs approval', rotateCode: 'New check-in QR code (the old one stops working)', rulesText: '{days} days ahead · at most {minutes} min', approvalTag: 'Approval',
      qr: 'Check-in QR', qrTitle: 'Check-in QR of {room}', qrHint: 'Post it at the door: bookers scan it within 15 minutes of the start', print: 'Print',
      week: 'Bookings this week', prevWeek: 'Previous week', nextWeek: 'Next week', thisWeek: 'This week', weekOf: '{from} to {to}', showClosed: 'Show cancelled / rejected',
      noBookings: 'No bookings this week', roomColumn: 'Room', weekday: { d1: 'Mon', d2: 'Tue', d3: 'Wed', d4: 'Thu', d5: 'Fri', d6: 'Sat', d7: 'Sun' },
      booking: 'Booking', time: 'Time', position: 'Position', room: 'Room', booker: 'Booked by', purpose: 'Purpose', headcount: 'People', note: 'Note',
      allPositions: 'All positions', dates: 'Dates', from: 'From', to: 'To', createdAt: 'Submitted',
      approve: 'Approve', reject: 'Reject', cancel: 'Cancel booking', approveConfirm: 'Approve the booking {what}?', rejectPrompt: 'Why is it rejected? (the booker is told): {what}',
      cancelPrompt: 'Why is it cancelled? (the booker is told): {what}', approveDone: 'Approved', rejectDone: 'Rejected', cancelDone: 'Cancelled',
      decisionNote: 'Decision note', cancelReason: 'Cancel reason', checkedInAt: 'Checked in', pendingCount: '{n} awaiting approval',
      byRoom: 'By room', byPosition: 'By position', bookingsN: 'Bookings', noShows: 'No-shows', openHours: 'Open (h)', hoursBooked: 'Booked (h)',
      hoursUsed: 'Used (h)', occupancy: 'Occupancy', exportXlsx: 'Export Excel', exported: 'Downloading {name}', statsRange: '{from} to {to}, {days} days',
      totalBookings: 'Bookings', totalBooked: 'Hours booked', totalUsed: 'Hours used', avgOccupancy: 'Mean occupancy', hoursN: '{n} h',
    },
    request: {
      status: { submitted: 'Submitted', accepted: 'Accepted', assigned: 'Assigned', in_progress: 'In progress', done: 'Done', rated: 'Rated', closed: 'Closed' },
      team: { property: 'Property company', community: 'Community', alliance: 'Alliance unit' },
      outcome: { fixed: 'Fixed', not_ours: 'Not our responsibility', duplicate: 'Duplicate', referred: 'Referred elsewhere' },
      channel: { self: 'Resident', on_behalf: 'Entered by staff', open311: 'Open311' },
      event: {
        submitted: 'Submitted', photos: 'Photos added', accepted: 'Accepted', assigned: 'Assigned', grabbed: 'Taken', started: 'Started', done: 'Done', rated: 'Rated',
        closed: 'Closed', reopened: 'Reopened', urged: 'Urged', escalated_community: 'Overdue: escalated to the community', escalated_street: 'Overdue: escalated to the street',
      },
      view: { all: 'All', unassigned: 'Unassigned', mine: 'Mine', overdue: 'Overdue' },
      escalation: { l1: 'Escalated to community', l2: 'Escalated to street' },
      role: { street_worker: 'Street worker', community_worker: 'Community worker', grid_worker: 'Grid worker', property_staff: 'Property staff', alliance_unit: 'Alliance unit', district_admin: 'District admin' },
      id: 'No.', category: 'Category', allGroups: 'All groups', allCategories: 'All categories', compound: 'Compound', allCompounds: 'All compounds', allStatuses: 'All statuses',
      description: 'Description', statusLabel: 'Status', teamLabel: 'Handled by', due: 'Due', overdue: 'Overdue', dueIn: 'by {at}', createdAt: 'Submitted',
      assigned: 'Assigned', unassigned: 'Unassigned', open: 'Open', hoursSla: '{n} h',
      back: 'Back to the board', location: 'Location', community: 'Community', roomLabel: 'Home', preferredTime: 'Preferred time', channelLabel: 'Channel', requester: 'Requester',
      contactHidden: 'Hidden', assignee: 'Assignee', noAssignee: 'Not assigned', attributes: 'Details', photos: 'Photos', requestPhotos: 'Request photos', donePhotos: 'After photos',
      doneNote: 'Work note', rating: 'Rating', ratingText: 'Comment', outcomeLabel: 'Outcome', duplicateOf: 'Duplicate of', referredTo: 'Referred to', closeNote: 'Closing note',
      urged: 'Urged {n} times', reopened: 'Reopened {n} times', timeline: 'Timeline', noTimeline: 'Nothing yet', slaLine: '{n} h, due {at}',
      accept: 'Accept', grab: 'Take it', assign: 'Assign', reassign: 'Reassign', startWork: 'Start', finish: 'Mark done', close: 'Close',
      acceptConfirm: 'Accept this request?', grabConfirm: 'Take this request yourself?', startConfirm: 'Start work on this request?',
      acceptDone: 'Accepted', grabDone: 'It is yours', assignDone: 'Assigned', startDone: 'Started', finishDone: 'Done', closeDone: 'Closed',
      assignTitle: 'Assign', assigneeLabel: 'Assignee', assigneePh: 'Pick a member of the handling team', noCandidates: 'The handling team has nobody to assign here', assigneeRequired: 'Pick an assignee',
      finishTitle: 'Mark done', notePh: 'What was done; the requester is told', noteRequired: 'Enter a note', addPhotos: 'After photos (optional, up to 9)',
      closeTitle: 'Close the request', outcomePh: 'Pick the outcome', outcomeRequired: 'Pick the outcome', fixedNeedsDone: '“Fixed” needs the work marked done first', duplicateOfPh: 'No. of the original request',
      referredToPh: 'e.g. District city management bureau', closeNotePh: 'Optional', stars: '{n} stars', none: 'None',
      by: { compound: 'By compound', team: 'By team', category: 'By category' },
      keyHead: { compound: 'Compound', team: 'Team', category: 'Category' },
      volume: 'Requests', openN: 'Open', doneN: 'Done', median: 'Median hours to done', slaMet: 'Done in time', rated: 'Rated', avgRating: 'Mean rating',
      total: 'Total', allTime: 'All time', chartTitle: 'Requests and done', totalVolume: 'Requests', totalDone: 'Done', totalRated: 'Rated', overallRating: 'Mean rating',
    },
    open311: {
      title: 'Open311 client keys', intro: 'Issue api_keys of the Open311 GeoReport v2 interface to outside systems such as the 12345 hotline. A key is shown once; only its hash is stored.',
      name: 'Client name', namePh: 'e.g. 12345 hotline', issue: 'Issue key', issued: 'Key issued', keyTitle: 'New key: {name}', keyOnce: 'Copy it now and keep it safe: it cannot be shown again.',
      copy: 'Copy', copied: 'Copied to the clipboard', copyFailed: 'Could not copy; select the key and copy it by hand', clients: 'Issued clients', createdAt: 'Issued', createdBy: 'Issued by',
      state: 'State', live: 'Active', revokedAt: 'Revoked {at}', revoke: 'Revoke', revokeConfirm: 'Revoke the key of “{name}”? Requests it submits will be refused.', revoked: 'Revoked',
      nameRequired: 'Enter a client name', endpoint: 'Endpoint',
    },
  },
} satisfies Messages;

/** Fails the type check when the English and the Chinese keys differ. */
export type PropertyMessagesPaired = Paired<typeof propertyMessages>;
