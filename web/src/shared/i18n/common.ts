import type { Messages, Paired } from './index';

/** Words all three apps use. */
export const common = {
  'zh-CN': {
    app: { name: '红色社区' },
    common: {
      ok: '确定', cancel: '取消', save: '保存', create: '新建', edit: '编辑', search: '搜索', reset: '重置',
      refresh: '刷新', close: '关闭', back: '返回', more: '更多', all: '全部', yes: '是', no: '否', none: '无',
      actions: '操作', loading: '加载中…', empty: '暂无数据', saved: '已保存', created: '已创建', total: '共 {n} 条',
      networkError: '网络连接失败，请稍后重试', language: '语言', required: '必填', confirm: '确认',
    },
    signIn: {
      codeSentTo: '验证码已发送至 {phone}，请输入 6 位短信验证码完成登录', code: '短信验证码', codeInvalid: '请输入 6 位数字验证码',
      verify: '验证并登录', backToPassword: '返回密码登录', devCode: '开发环境：验证码 {code}（正式环境不显示）',
      wechat: '微信登录', wechatBindTitle: '绑定手机号', wechatBindHint: '首次使用微信登录，请验证手机号以绑定您的账号', wechatHello: '{name}，您好',
      wechatBind: '绑定并登录',
      policyTitle: '登录安全', policyStaffSms: '区级、街道账号登录须短信验证',
      policyHint: '开启后，区级管理员、数据管理员、街道工作者用密码登录时，还需输入发送到本人手机的验证码；未登记手机号的账号将无法登录，请先在账号中填写手机号。',
    },
    auth: {
      username: '用户名 / 手机号', password: '密码', login: '登录', loggingIn: '登录中…', logout: '退出登录',
      logoutConfirm: '确定退出登录吗？', loggedOut: '已退出登录', usernameRequired: '请输入用户名或手机号',
      passwordRequired: '请输入密码', welcome: '欢迎，{name}', changePassword: '修改密码', currentPassword: '原密码',
      newPassword: '新密码', confirmPassword: '确认新密码', passwordMismatch: '两次输入的新密码不一致',
      passwordRule: '至少 8 位，须同时包含字母和数字', passwordChanged: '密码已修改',
      sessionExpired: '登录已失效，请重新登录', noRole: '无角色',
    },
    level: {
      district: '区', street: '街道', community: '社区', compound: '小区', building: '楼栋', unit: '单元', room: '房屋',
    },
    counts: {
      streets: '街道', communities: '社区', compounds: '小区', buildings: '楼栋', rooms: '房屋', households: '户数', residents: '居民',
    },
    sex: { M: '男', F: '女' },
    person: {
      name: '姓名', sex: '性别', birthDate: '出生日期', age: '年龄', idNumber: '身份证号', phone: '手机号',
      address: '住址', householder: '户主', member: '家庭成员', self: '本人', masked: '已脱敏',
    },
  },
  en: {
    app: { name: 'Red Community' },
    common: {
      ok: 'OK', cancel: 'Cancel', save: 'Save', create: 'New', edit: 'Edit', search: 'Search', reset: 'Reset',
      refresh: 'Refresh', close: 'Close', back: 'Back', more: 'More', all: 'All', yes: 'Yes', no: 'No', none: 'None',
      actions: 'Actions', loading: 'Loading…', empty: 'No data', saved: 'Saved', created: 'Created', total: '{n} in total',
      networkError: 'Network error; please try again', language: 'Language', required: 'Required', confirm: 'Confirm',
    },
    signIn: {
      codeSentTo: 'A code was sent to {phone}; enter the 6 digits to finish signing in', code: 'SMS code', codeInvalid: 'Enter the 6-digit code',
      verify: 'Verify and sign in', backToPassword: 'Back to password', devCode: 'Development: the code is {code} (never shown in production)',
      wechat: 'Sign in with WeChat', wechatBindTitle: 'Link your phone', wechatBindHint: 'First WeChat sign-in: verify your phone to link your account', wechatHello: 'Hello, {name}',
      wechatBind: 'Link and sign in',
      policyTitle: 'Sign-in security', policyStaffSms: 'District and street accounts confirm sign-in by SMS',
      policyHint: 'When on, district admins, data administrators and street workers enter a code sent to their phone after the password; an account without a phone cannot sign in, so add phones first.',
    },
    auth: {
      username: 'Username / phone', password: 'Password', login: 'Sign in', loggingIn: 'Signing in…', logout: 'Sign out',
      logoutConfirm: 'Sign out now?', loggedOut: 'Signed out', usernameRequired: 'Enter your username or phone number',
      passwordRequired: 'Enter your password', welcome: 'Welcome, {name}', changePassword: 'Change password',
      currentPassword: 'Current password', newPassword: 'New password', confirmPassword: 'Repeat new password',
      passwordMismatch: 'The new passwords do not match', passwordRule: 'At least 8 characters with letters and digits',
      passwordChanged: 'Password changed', sessionExpired: 'Your session has ended; please sign in again', noRole: 'No role',
    },
    level: {
      district: 'District', street: 'Street', community: 'Community', compound: 'Compound', building: 'Building', unit: 'Unit', room: 'Room',
    },
    counts: {
      streets: 'Streets', communities: 'Communities', compounds: 'Compounds', buildings: 'Buildings', rooms: 'Rooms', households: 'Households', residents: 'Residents',
    },
    sex: { M: 'Male', F: 'Female' },
    person: {
      name: 'Name', sex: 'Sex', birthDate: 'Date of birth', age: 'Age', idNumber: 'ID number', phone: 'Phone',
      address: 'Address', householder: 'Householder', member: 'Household members', self: 'Me', masked: 'Masked',
    },
  },
} satisfies Messages;

/** Fails the type check when the English and the Chinese keys differ. */
export type CommonPaired = Paired<typeof common>;
