import type { Messages, Paired } from './index';

/** Admin console (/admin/). */
export const admin = {
  'zh-CN': {
    admin: {
      title: '管理后台', loginTitle: '红色社区 · 管理后台', loginSubtitle: '党建引领 · 基层治理一体化平台',
      cockpit: '城市驾驶舱', forbidden: '您没有访问此页面的权限', notFound: '页面不存在', backHome: '返回首页',
      scope: '数据范围', lastLogin: '上次登录', copy: '复制', copied: '已复制到剪贴板', copyFailed: '复制失败，请手动选择后复制',
    },
    menu: {
      home: '首页概览', regions: '区域管理', orgs: '组织架构', people: '人员管理', accounts: '账号与角色', audit: '审计日志',
      wishes: '心愿管理', seasons: '心愿季', wishCards: '打印心愿卡',
      consultations: '协商议事', consultation: '议题详情', voteResult: '表决结果', owners: '业主名册', elevators: '加装电梯', elevator: '电梯项目',
      allianceLists: '三张清单', allianceUnits: '联盟单位', allianceAssignment: '季末分配', allianceProject: '共建项目',
    },
    home: {
      hello: '您好，{name}', scopeLine: '数据范围：{scope}', overview: '辖区概况', breakdown: '按{level}分布',
      share: '居民占比', quick: '常用功能', openCockpit: '打开城市驾驶舱', noScope: '当前账号未配置数据范围',
      updatedAt: '更新于 {at}',
    },
    region: {
      tree: '区域树', filter: '筛选已加载的区域', detail: '区域详情', code: '编码', level: '层级', children: '下级区域',
      childCount: '下级数', floor: '楼层', area: '面积', addChild: '新增下级{level}', editRegion: '编辑区域',
      viewPeople: '查看居民', selectHint: '请在左侧选择一个区域', name: '名称', codeRule: '字母、数字、下划线或连字符',
      areaUnit: 'm²', rooms: '房屋', parent: '上级', scopeRootReadonly: '本账号数据范围的根区域不可修改',
      loadMore: '加载更多',
    },
    org: {
      tree: '组织架构', filter: '筛选组织', kind: '类别', code: '编码', region: '所属区域', name: '名称',
      addChild: '新增下级组织', addRoot: '新增组织', rename: '重命名', selectHint: '请在左侧选择一个组织', childCount: '下级组织',
      kinds: {
        party_working_committee: '党工委', party_committee: '党委', general_branch: '党总支', branch: '党支部',
        enterprise: '企业', social_org: '社会组织', institution: '机关事业单位',
      },
    },
    people: {
      searchPlaceholder: '姓名 / 拼音首字母 / 手机尾号', regionFilter: '按区域筛选', allRegions: '全部区域', region: '区域',
      add: '新增人员', export: '导出 Excel', exportPurpose: '请填写导出用途（将记录在个人信息访问日志中）',
      exportTitle: '导出人员名单', exported: '已开始下载 {name}', detail: '人员详情', reveal: '查看完整信息',
      revealPurpose: '请填写查看完整个人信息的用途（将留痕记录）', revealTitle: '查看完整信息', revealed: '已显示完整信息（已留痕）',
      purpose: '用途', purposeRule: '用途至少 2 个字', householdId: '户号', household: '家庭成员', noHousehold: '未登记户',
      editPerson: '编辑人员', newPerson: '新增人员', householdMode: '户籍关系', newHousehold: '新建一户', joinHousehold: '加入已有户',
      noHouseholdMode: '暂不设户', isHouseholder: '设为户主', unchangedHint: '留空则不修改（当前：{v}）',
      regionPick: '居住房屋/区域', changeRegion: '更改住址', currentAddress: '当前住址', idHint: '18 位，末位可为 X',
      yearsOld: '{n} 岁', pickRegion: '请选择区域',
    },
    account: {
      searchPlaceholder: '用户名 / 姓名', role: '角色', roles: '角色', username: '用户名', displayName: '姓名', phone: '手机号',
      scope: '数据范围', status: '状态', active: '启用', inactive: '停用', locked: '已锁定', lastLogin: '最近登录',
      add: '新建账号', editAccount: '编辑账号', newAccount: '新建账号', resetPassword: '重置密码', unlock: '解锁',
      enable: '启用', disable: '停用', resetPrompt: '为 {name} 设置新密码（8 位以上，含字母和数字）', resetDone: '密码已重置，该账号需重新登录',
      unlocked: '已解锁', enabled: '已启用', disabled: '已停用', disableConfirm: '停用后 {name} 将立即下线且无法登录，确定停用吗？',
      password: '初始密码', permissions: '权限', never: '从未登录',
    },
    audit: {
      log: '审计日志', piAccess: '个人信息访问记录', verify: '校验哈希链', verifying: '校验中…',
      verifyOk: '哈希链完整：已校验 {n} 条记录，未发现篡改', verifyBroken: '哈希链在第 {id} 条记录处断裂（已校验 {n} 条）：{reason}',
      at: '时间', actor: '操作人', actorRole: '角色', action: '操作', target: '对象', summary: '内容摘要', ip: 'IP', hash: '哈希',
      requestId: '请求编号', actionFilter: '操作类型', actorFilter: '操作人用户名', targetFilter: '对象类型', range: '时间范围',
      from: '开始日期', to: '结束日期', kind: '类型', fields: '字段', purpose: '用途',
      kinds: { unmask: '查看完整信息', export: '导出' },
      actions: {
        auth: '登录/退出', auth_login: '登录', auth_login_failed: '登录失败', auth_logout: '退出登录',
        account: '账号', account_create: '新建账号', account_update: '修改账号', account_reset_password: '重置密码', account_change_password: '修改本人密码',
        person: '人员', person_create: '新增人员', person_update: '修改人员', person_export: '导出人员',
        region: '区域', region_create: '新增区域', region_update: '修改区域',
        org: '组织', org_create: '新增组织', org_update: '修改组织',
        seed: '初始化', seed_run: '生成演示数据',
        wish: '心愿', wish_create: '提交心愿', wish_approve: '审核通过', wish_reject: '审核驳回', wish_edit: '修改心愿', wish_withdraw: '撤回心愿',
        wish_photos: '上传心愿照片', wish_claim: '认领心愿', wish_withdraw_claim: '放弃认领', wish_revoke_claim: '撤销认领', wish_fulfil: '提交圆梦',
        wish_confirm: '确认圆梦', wish_import: '导入心愿', wish_claim_expired: '认领到期释放',
        season: '心愿季', season_create: '新建心愿季', season_update: '修改心愿季', wechat: '微信', wechat_bind: '绑定微信',
      },
      targets: { account: '账号', person: '人员', region: '区域', organisation: '组织', session: '会话', wish: '心愿', season: '心愿季' },
    },
  },
  en: {
    admin: {
      title: 'Admin console', loginTitle: 'Red Community · Admin', loginSubtitle: 'Party-led community governance platform',
      cockpit: 'City cockpit', forbidden: 'You do not have access to this page', notFound: 'Page not found', backHome: 'Back to home',
      scope: 'Data scope', lastLogin: 'Last sign-in', copy: 'Copy', copied: 'Copied to the clipboard', copyFailed: 'Could not copy; select the text and copy it by hand',
    },
    menu: {
      home: 'Overview', regions: 'Regions', orgs: 'Organisations', people: 'People', accounts: 'Accounts & roles', audit: 'Audit log',
      wishes: 'Micro-wishes', seasons: 'Wish seasons', wishCards: 'Print wish cards',
      consultations: 'Consultations', consultation: 'Consultation', voteResult: 'Vote result', owners: 'Owner register', elevators: 'Elevator retrofits', elevator: 'Elevator project',
      allianceLists: 'Three lists', allianceUnits: 'Alliance units', allianceAssignment: 'Season-end assignment', allianceProject: 'Joint project',
    },
    home: {
      hello: 'Hello, {name}', scopeLine: 'Data scope: {scope}', overview: 'Area overview', breakdown: 'By {level}',
      share: 'Share of residents', quick: 'Shortcuts', openCockpit: 'Open the city cockpit', noScope: 'This account has no data scope',
      updatedAt: 'Updated {at}',
    },
    region: {
      tree: 'Region tree', filter: 'Filter loaded regions', detail: 'Region', code: 'Code', level: 'Level', children: 'Sub-regions',
      childCount: 'Children', floor: 'Floor', area: 'Area', addChild: 'Add {level}', editRegion: 'Edit region',
      viewPeople: 'Residents', selectHint: 'Select a region on the left', name: 'Name', codeRule: 'Letters, digits, _ or -',
      areaUnit: 'm²', rooms: 'Rooms', parent: 'Parent', scopeRootReadonly: 'The root of your data scope cannot be changed',
      loadMore: 'Load more',
    },
    org: {
      tree: 'Organisations', filter: 'Filter organisations', kind: 'Kind', code: 'Code', region: 'Region', name: 'Name',
      addChild: 'Add sub-organisation', addRoot: 'Add organisation', rename: 'Rename', selectHint: 'Select an organisation on the left', childCount: 'Sub-organisations',
      kinds: {
        party_working_committee: 'Party working committee', party_committee: 'Party committee', general_branch: 'General branch', branch: 'Branch',
        enterprise: 'Enterprise', social_org: 'Social organisation', institution: 'Public institution',
      },
    },
    people: {
      searchPlaceholder: 'Name / pinyin initials / phone tail', regionFilter: 'Filter by region', allRegions: 'All regions', region: 'Region',
      add: 'Add person', export: 'Export Excel', exportPurpose: 'Why are you exporting? (recorded in the personal-data access log)',
      exportTitle: 'Export people', exported: 'Downloading {name}', detail: 'Person', reveal: 'Show full details',
      revealPurpose: 'Why do you need the full personal data? (recorded)', revealTitle: 'Show full details', revealed: 'Full details shown (access recorded)',
      purpose: 'Purpose', purposeRule: 'At least 2 characters', householdId: 'Household no.', household: 'Household members', noHousehold: 'No household',
      editPerson: 'Edit person', newPerson: 'New person', householdMode: 'Household', newHousehold: 'Start a new household', joinHousehold: 'Join a household',
      noHouseholdMode: 'None for now', isHouseholder: 'Householder', unchangedHint: 'Leave empty to keep (now: {v})',
      regionPick: 'Room / region', changeRegion: 'Change address', currentAddress: 'Current address', idHint: '18 characters, last may be X',
      yearsOld: '{n} yrs', pickRegion: 'Choose a region',
    },
    account: {
      searchPlaceholder: 'Username / name', role: 'Role', roles: 'Roles', username: 'Username', displayName: 'Name', phone: 'Phone',
      scope: 'Data scope', status: 'Status', active: 'Active', inactive: 'Disabled', locked: 'Locked', lastLogin: 'Last sign-in',
      add: 'New account', editAccount: 'Edit account', newAccount: 'New account', resetPassword: 'Reset password', unlock: 'Unlock',
      enable: 'Enable', disable: 'Disable', resetPrompt: 'New password for {name} (8+ characters, letters and digits)', resetDone: 'Password reset; the account must sign in again',
      unlocked: 'Unlocked', enabled: 'Enabled', disabled: 'Disabled', disableConfirm: '{name} will be signed out and unable to sign in. Disable?',
      password: 'Initial password', permissions: 'Permissions', never: 'Never',
    },
    audit: {
      log: 'Audit log', piAccess: 'Personal-data access', verify: 'Verify hash chain', verifying: 'Verifying…',
      verifyOk: 'Hash chain intact: {n} records checked, no tampering found', verifyBroken: 'Hash chain broken at record {id} ({n} checked): {reason}',
      at: 'Time', actor: 'Actor', actorRole: 'Role', action: 'Action', target: 'Target', summary: 'Summary', ip: 'IP', hash: 'Hash',
      requestId: 'Request', actionFilter: 'Action', actorFilter: 'Actor username', targetFilter: 'Target type', range: 'Period',
      from: 'From', to: 'To', kind: 'Kind', fields: 'Fields', purpose: 'Purpose',
      kinds: { unmask: 'Full details viewed', export: 'Export' },
      actions: {
        auth: 'Sign-in/out', auth_login: 'Sign in', auth_login_failed: 'Failed sign-in', auth_logout: 'Sign out',
        account: 'Accounts', account_create: 'Create account', account_update: 'Update account', account_reset_password: 'Reset password', account_change_password: 'Change own password',
        person: 'People', person_create: 'Add person', person_update: 'Update person', person_export: 'Export people',
        region: 'Regions', region_create: 'Add region', region_update: 'Update region',
        org: 'Organisations', org_create: 'Add organisation', org_update: 'Update organisation',
        seed: 'Seed', seed_run: 'Demo data seeded',
        wish: 'Wishes', wish_create: 'Submit wish', wish_approve: 'Approve wish', wish_reject: 'Reject wish', wish_edit: 'Edit wish', wish_withdraw: 'Withdraw wish',
        wish_photos: 'Wish photos', wish_claim: 'Claim wish', wish_withdraw_claim: 'Give up claim', wish_revoke_claim: 'Revoke claim', wish_fulfil: 'Report fulfilment',
        wish_confirm: 'Confirm fulfilment', wish_import: 'Import wishes', wish_claim_expired: 'Claim expired',
        season: 'Seasons', season_create: 'Create season', season_update: 'Update season', wechat: 'WeChat', wechat_bind: 'Link WeChat',
      },
      targets: { account: 'Account', person: 'Person', region: 'Region', organisation: 'Organisation', session: 'Session', wish: 'Wish', season: 'Season' },
    },
  },
} satisfies Messages;

/** Fails the type check when the English and the Chinese keys differ. */
export type AdminPaired = Paired<typeof admin>;
