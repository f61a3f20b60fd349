import type { Messages, Paired } from './index';

/** Red Property words for the resident H5: positions, rooms and bookings with check-in; service requests and their handling. */
export const h5Property = {
  'zh-CN': {
    prop: {
      level: { street: '街道党群服务中心', community: '社区党群服务中心', compound: '小区党群服务站' },
      levelShort: { street: '街道', community: '社区', compound: '小区' },
      roomKind: { service: '服务', health: '健康', mediation: '调解', activity: '活动', reading: '阅览', meeting: '会议', other: '其他' },
      whoMayBook: { compound_residents: '本小区居民可约', any_resident: '居民可约', units: '联盟单位可约', workers: '仅工作人员' },
      bookingStatus: { pending: '待审批', confirmed: '已预约', checked_in: '已签到', cancelled: '已取消', rejected: '未通过', expired: '已过期', no_show: '未到场' },
      purposeOf: { service: '办理业务', health: '健康检测', mediation: '邻里协商', activity: '居民活动', reading: '阅读学习', meeting: '会议', other: '使用场地' },
      requestStatus: { submitted: '已提交', accepted: '已受理', assigned: '已派单', in_progress: '处理中', done: '已完成', rated: '已评价', closed: '已办结' },
      weekday: { d0: '周日', d1: '周一', d2: '周二', d3: '周三', d4: '周四', d5: '周五', d6: '周六' },

      positions: '党群服务阵地', listView: '列表', mapView: '地图', all: '全部', mine: '我身边', km: '{n} 公里', within100m: '100 米内', hours: '开放时间',
      roomsN: '{n} 间功能室', capacity: '{n} 人', needsApproval: '需审批', maxMinutes: '单次最长 {n} 分钟', advanceDays: '可提前 {n} 天预约',
      locating: '正在定位…', nearFromHome: '按我的小区远近排序', nearFromGps: '按当前位置远近排序', noPositions: '暂无服务阵地', noRooms: '暂无开放的功能室',
      equipment: '设施', rules: '预约规则', tapRoom: '点选功能室查看空闲时段',

      room: '功能室', week: '选择日期', today: '今天', freeN: '{n} 空', full: '约满', closed: '不开放', pickSlot: '点选空闲时段', useNow: '现在就用（至 {to}）',
      slotFree: '空闲', slotBusy: '已约', slotPast: '已过', selected: '{date} {from}–{to}，共 {minutes} 分钟', extendHint: '再点相邻的空闲时段可延长，最长 {n} 分钟',
      tooLong: '单次最长 {n} 分钟', purpose: '用途', headcount: '人数', book: '预约', bookApproval: '提交预约（需审批）', booked: '预约成功',
      bookedPending: '已提交，等待工作人员审批', loginToBook: '登录后预约', legendFree: '空闲', legendBusy: '已约', legendMine: '已选',
      doorQr: '门口签到二维码', doorQrHint: '打印后贴在功能室门口，居民到场后用手机扫码签到', doorCode: '签到码', printQr: '打印',

      myBookings: '我的预约', noBookings: '还没有预约', goBook: '去预约', canCheckin: '可签到', bookingNo: '预约号 {id}',
      bookingTitle: '预约详情', when: '时间', where: '地点', booker: '预约人', decisionNote: '审批意见', cancelReason: '取消原因',
      pass: '预约凭证', passHint: '到场后扫描功能室门口的签到二维码签到；也可出示本凭证，由工作人员签到。',
      checkin: '签到', checkinTitle: '扫码签到', checkinCode: '签到码', checkinCodePh: '输入门口二维码下方的签到码', checkedIn: '签到成功',
      checkedInAt: '已于 {at} 签到', windowHint: '开始前后 15 分钟内可签到（{from}–{to}）', staffCheckin: '代为签到',
      cancel: '取消预约', cancelConfirm: '确定取消这次预约吗？', cancelled: '预约已取消', cancelReasonTitle: '取消原因（将通知预约人）',
      approve: '通过', reject: '不通过', rejectReason: '不通过的原因', approved: '已通过', rejected: '已驳回',
      noBookingHere: '您在此功能室没有可签到的预约', notYet: '您的预约 {time} 开始，请在开始前后 15 分钟内签到', bookThisRoom: '预约这间功能室',
      checkinOf: '{position} · {room}', checkinDone: '签到成功，祝使用愉快', noCode: '请扫描功能室门口的签到二维码，或输入二维码下方的签到码',

      repair: '报事报修', newRequest: '我要报事', myRequests: '我的报事', queue: '报事处理', noRequests: '还没有报事', live: '状态实时更新',
      category: '类别', description: '问题描述', descriptionPh: '请描述问题、具体位置和紧急程度', descriptionRule: '请填写问题描述', photos: '照片（选填，最多 9 张）',
      location: '位置', myHome: '我家', mapPoint: '地图选点', pickOnMap: '点击地图选择问题所在位置', picked: '已选位置：{lat}, {lng}', useGps: '用当前位置',
      noHome: '没有登记住址，请在地图上选择位置', preferredTime: '期望处理时间', preferredPh: '例如：工作日晚上 7 点后', times: { asap: '尽快', daytime: '工作日白天', evening: '工作日晚上', weekend: '周末' },
      submit: '提交', submitted: '报事已提交', photosFailed: '照片上传失败：{msg}', pickCategory: '请选择类别', required: '必填', slaHours: '{n} 小时内处理',
      team: '处理单位', requestNo: '报事编号 {id}', createdAt: '提交时间', due: '处理时限', overdue: '已超时', escalated: '已升级督办',
      attributes: '补充信息', assignee: '处理人', requester: '报事人', timeline: '处理进度', requestPhotos: '报事照片', donePhotos: '完成照片',
      doneNote: '处理说明', rating: '评价', ratingText: '评价内容（选填）', rate: '提交评价', rated: '感谢您的评价', ratePick: '请选择星级',
      urge: '催办', urged: '已催办，处理人员会尽快处理', reopen: '问题没解决，重新打开', reopenTitle: '重新打开的原因', reopened: '已重新打开',
      addPhotos: '补充照片', photosAdded: '照片已补充', accept: '受理', grab: '接单', start: '开始处理', done: '处理完成', doneTitle: '处理完成',
      doneNotePh: '处理了什么、结果如何', doneNoteRule: '请填写处理说明', doneSubmit: '提交完成', accepted: '已受理', grabbed: '已接单', started: '已开始处理', finished: '已提交完成',
      views: { submitted: '待受理', unassigned: '待接单', mine: '我处理的', overdue: '超时', all: '全部' },
      outcome: '办结结果', closeNote: '办结说明', noQueue: '暂无报事', contact: '联系方式',
    },
  },
  en: {
    prop: {
      level: { street: 'Street service centre', community: 'Community service centre', compound: 'Compound service station' },
      levelShort: { street: 'Street', community: 'Community', compound: 'Compound' },
      roomKind: { service: 'Service', health: 'Health', mediation: 'Mediation', activity: 'Activity', reading: 'Reading', meeting: 'Meeting', other: 'Other' },
      whoMayBook: { compound_residents: 'Residents of this compound', any_resident: 'Residents', units: 'Alliance units', workers: 'Staff only' },
      bookingStatus: { pending: 'Awaiting approval', confirmed: 'Booked', checked_in: 'Checked in', cancelled: 'Cancelled', rejected: 'Declined', expired: 'Expired', no_show: 'No-show' },
      purposeOf: { service: 'Errand', health: 'Health check', mediation: 'Neighbour talk', activity: 'Residents activity', reading: 'Reading', meeting: 'Meeting', other: 'Use of the room' },
      requestStatus: { submitted: 'Submitted', accepted: 'Accepted', assigned: 'Assigned', in_progress: 'In progress', done: 'Done', rated: 'Rated', closed: 'Closed' },
      weekday: { d0: 'Sun', d1: 'Mon', d2: 'Tue', d3: 'Wed', d4: 'Thu', d5: 'Fri', d6: 'Sat' },

      positions: 'Service positions', listView: 'List', mapView: 'Map', all: 'All', mine: 'Near me', km: '{n} km', within100m: 'within 100 m', hours: 'Hours',
      roomsN: '{n} rooms', capacity: '{n} people', needsApproval: 'Needs approval', maxMinutes: 'Up to {n} min', advanceDays: 'Book up to {n} days ahead',
      locating: 'Locating…', nearFromHome: 'Sorted by distance from my compound', nearFromGps: 'Sorted by distance from here', noPositions: 'No service positions', noRooms: 'No rooms open',
      equipment: 'Equipment', rules: 'Booking rules', tapRoom: 'Tap a room to see its free times',

      room: 'Room', week: 'Pick a day', today: 'Today', freeN: '{n} free', full: 'Full', closed: 'Closed', pickSlot: 'Tap a free time', useNow: 'Use it now (until {to})',
      slotFree: 'Free', slotBusy: 'Booked', slotPast: 'Past', selected: '{date} {from}–{to}, {minutes} min', extendHint: 'Tap the next free time to extend, up to {n} min',
      tooLong: 'At most {n} minutes', purpose: 'Purpose', headcount: 'People', book: 'Book', bookApproval: 'Request booking (needs approval)', booked: 'Booked',
      bookedPending: 'Sent; waiting for staff approval', loginToBook: 'Sign in to book', legendFree: 'Free', legendBusy: 'Booked', legendMine: 'Selected',
      doorQr: 'Door check-in QR code', doorQrHint: 'Print it and put it on the door; residents scan it on arrival', doorCode: 'Check-in code', printQr: 'Print',

      myBookings: 'My bookings', noBookings: 'No bookings yet', goBook: 'Book a room', canCheckin: 'Check in now', bookingNo: 'Booking {id}',
      bookingTitle: 'Booking', when: 'When', where: 'Where', booker: 'Booked by', decisionNote: 'Decision note', cancelReason: 'Cancel reason',
      pass: 'Booking pass', passHint: "On arrival, scan the QR code on the room's door; or show this pass to staff.",
      checkin: 'Check in', checkinTitle: 'Check in', checkinCode: 'Check-in code', checkinCodePh: 'The code under the QR code on the door', checkedIn: 'Checked in',
      checkedInAt: 'Checked in at {at}', windowHint: 'Check in within 15 minutes of the start ({from}–{to})', staffCheckin: 'Check them in',
      cancel: 'Cancel booking', cancelConfirm: 'Cancel this booking?', cancelled: 'Booking cancelled', cancelReasonTitle: 'Reason (the booker is told)',
      approve: 'Approve', reject: 'Decline', rejectReason: 'Reason for declining', approved: 'Approved', rejected: 'Declined',
      noBookingHere: 'You have no booking to check in here', notYet: 'Your booking starts at {time}; check in within 15 minutes of the start', bookThisRoom: 'Book this room',
      checkinOf: '{position} · {room}', checkinDone: 'Checked in. Enjoy!', noCode: 'Scan the QR code on the door, or type the code printed under it',

      repair: 'Report an issue', newRequest: 'Report an issue', myRequests: 'My requests', queue: 'Requests to handle', noRequests: 'No requests yet', live: 'Live status',
      category: 'Category', description: 'Description', descriptionPh: 'What is wrong, where exactly, how urgent', descriptionRule: 'Describe the issue', photos: 'Photos (optional, up to 9)',
      location: 'Location', myHome: 'My home', mapPoint: 'On the map', pickOnMap: 'Tap the map where the issue is', picked: 'Picked: {lat}, {lng}', useGps: 'Use my location',
      noHome: 'No home address on record; pick the place on the map', preferredTime: 'Preferred time', preferredPh: 'e.g. weekday evenings after 7', times: { asap: 'As soon as possible', daytime: 'Weekday daytime', evening: 'Weekday evening', weekend: 'Weekend' },
      submit: 'Submit', submitted: 'Request submitted', photosFailed: 'Photo upload failed: {msg}', pickCategory: 'Pick a category', required: 'Required', slaHours: 'Handled within {n} h',
      team: 'Handled by', requestNo: 'Request {id}', createdAt: 'Submitted', due: 'Due', overdue: 'Overdue', escalated: 'Escalated',
      attributes: 'Details', assignee: 'Handler', requester: 'Requester', timeline: 'Progress', requestPhotos: 'Photos', donePhotos: 'Photos after',
      doneNote: 'What was done', rating: 'Rating', ratingText: 'Comment (optional)', rate: 'Submit rating', rated: 'Thank you for your rating', ratePick: 'Pick a rating',
      urge: 'Hurry up', urged: 'Sent; the handler will hurry', reopen: 'Not fixed: reopen', reopenTitle: 'Why reopen', reopened: 'Reopened',
      addPhotos: 'Add photos', photosAdded: 'Photos added', accept: 'Accept', grab: 'Take it', start: 'Start', done: 'Done', doneTitle: 'Mark as done',
      doneNotePh: 'What was done and the result', doneNoteRule: 'Say what was done', doneSubmit: 'Submit', accepted: 'Accepted', grabbed: 'Taken', started: 'Started', finished: 'Marked as done',
      views: { submitted: 'New', unassigned: 'To take', mine: 'Mine', overdue: 'Overdue', all: 'All' },
      outcome: 'Outcome', closeNote: 'Closing note', noQueue: 'No requests', contact: 'Contact',
    },
  },
} satisfies Messages;

/** Fails the type check when the English and the Chinese keys differ. */
export type H5PropertyPaired = Paired<typeof h5Property>;
