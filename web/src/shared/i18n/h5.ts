import type { Messages, Paired } from './index';

/** Resident H5 (/). */
export const h5 = {
  'zh-CN': {
    h5: {
      tabHome: '首页', tabMe: '我的', loginTitle: '红色社区', loginSubtitle: '党建引领 · 共建共治共享', welcomeHome: '欢迎回家，',
      welcomeGuest: '欢迎来到红色社区', communityLine: '{community}', services: '社区服务',
      wishes: '微心愿', consult: '有事好商量', booking: '场地预约', repair: '报事报修', tasks: '核查任务', notices: '社区公告', volunteer: '志愿服务',
      noticeBar: '红色社区上线啦：党建引领、共建共治共享，让社区更温暖。', myHousehold: '我的家庭', householdEmpty: '暂无家庭信息',
      account: '账号', roles: '身份', memberCount: '{n} 人', settings: '设置', language: '语言 / Language',
      maskedNote: '为保护个人信息，家庭其他成员的证件号与手机号已脱敏显示', aboutMe: '我的信息',
      tabWishes: '心愿', wishEntryTitle: '点亮微心愿', wishEntryText: '{season} · {theme}', wishEntryOpen: '{n} 个心愿等待认领', wishEntryGo: '去心愿墙',
      wishEntryIdle: '居民许愿，邻里圆梦',
      consultEntryText: '加装电梯、小区改造，大家商量着办', consultEntryCount: '{n} 个议题与我家相关', consultEntryGo: '去议事',
      alliance: '红色联盟', allianceEntryText: '发布资源，对接身边的需求', stations: '便民服务站', stationsEntryText: '锋小巢、歇歇脚：歇脚、饮水、充电', projects: '共建项目', projectProgress: '进度 {n}%', myConsults: '我的议事', myElevator: '我家的电梯',
    },
    sms: {
      tab: '验证码登录', passwordTab: '密码登录', phone: '手机号', phonePh: '请输入 11 位手机号', phoneInvalid: '手机号应为 11 位大陆手机号',
      code: '验证码', codePh: '6 位短信验证码', codeInvalid: '请输入 6 位数字验证码', send: '获取验证码', resend: '{s} 秒后重发', sent: '验证码已发送',
      devBanner: '开发环境：验证码 {code}（正式环境不显示，短信发往手机）', hint: '未注册的手机号不会收到短信；工作人员请用密码登录',
    },
  },
  en: {
    h5: {
      tabHome: 'Home', tabMe: 'Me', loginTitle: 'Red Community', loginSubtitle: 'Building and governing our community together', welcomeHome: 'Welcome home, ',
      welcomeGuest: 'Welcome to Red Community', communityLine: '{community}', services: 'Services',
      wishes: 'Micro-wishes', consult: 'Consultation', booking: 'Book a room', repair: 'Report an issue', tasks: 'Verification tasks', notices: 'Notices', volunteer: 'Volunteering',
      noticeBar: 'Red Community is live: together we make our neighbourhood warmer.', myHousehold: 'My household', householdEmpty: 'No household on record',
      account: 'Account', roles: 'Roles', memberCount: '{n} people', settings: 'Settings', language: 'Language / 语言',
      maskedNote: "Other members' ID and phone numbers are masked to protect personal data", aboutMe: 'About me',
      tabWishes: 'Wishes', wishEntryTitle: 'Light up micro-wishes', wishEntryText: '{season} · {theme}', wishEntryOpen: '{n} wishes waiting to be claimed', wishEntryGo: 'Wish wall',
      wishEntryIdle: 'Residents make wishes, neighbours make them come true',
      consultEntryText: 'Elevators, renovations: decided together', consultEntryCount: '{n} topics about my home', consultEntryGo: 'Join in',
      alliance: 'Red Alliance', allianceEntryText: 'Offer resources, meet needs nearby', stations: 'Service stations', stationsEntryText: 'Rest, water and charging nearby', projects: 'Joint projects', projectProgress: '{n}% done', myConsults: 'My consultations', myElevator: 'My elevator',
    },
    sms: {
      tab: 'SMS code', passwordTab: 'Password', phone: 'Mobile', phonePh: '11-digit mobile number', phoneInvalid: 'A mainland mobile number has 11 digits',
      code: 'Code', codePh: '6-digit SMS code', codeInvalid: 'Enter the 6-digit code', send: 'Get code', resend: 'Resend in {s}s', sent: 'Code sent',
      devBanner: 'Development: the code is {code} (never shown in production; the SMS goes to the phone)', hint: 'Unregistered numbers get no SMS; staff sign in with a password',
    },
  },
} satisfies Messages;

/** Fails the type check when the English and the Chinese keys differ. */
export type H5Paired = Paired<typeof h5>;
