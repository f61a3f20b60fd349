import type { Messages, Paired } from './index';

/** Cockpit big screen (/screen/). */
export const screen = {
  'zh-CN': {
    screen: {
      title: '红色社区 · 城市驾驶舱', loginTitle: '登录城市驾驶舱', overview: '实时概况', residentsBy: '各{level}居民人数',
      householdsBy: '各{level}户数', share: '居民分布', perHousehold: '户均人数', noPermission: '当前账号没有驾驶舱查看权限',
      tasks: '核查任务：派发 {assigned} · 已办结 {done} · 确认 {confirmed}',
      hub: '红色大脑：已接入数据源 {sourcesConnected}/{datasets} · 今日交换 {rowsMovedToday} 行 · 按周期更新 {fresh} 个', updated: '数据更新于 {at}', refreshEvery: '每 30 秒自动刷新', scope: '范围', unitPeople: '人', unitHouseholds: '户', unitItems: '个',
      loadFailed: '数据加载失败：{msg}', ranking: '居民人数排行',
      wishTree: '心愿树', wishTreeSeason: '心愿树 · {season}', litTotal: '已点亮 {lit} / {total}', legendLit: '已圆梦（点亮）', legendClaimed: '认领中',
      legendOpen: '待认领', noWishes: '本季暂无心愿', wishWall: '心愿墙 · 实时', justNow: '刚刚', minutesAgo: '{n} 分钟前', hoursAgo: '{n} 小时前',
      daysAgo: '{n} 天前', liveClaimed: '{who} 认领了 {beneficiary} 的心愿「{title}」', liveFulfilled: '{who} 为 {beneficiary} 圆梦「{title}」',
      livePublished: '新心愿：{beneficiary}（{community}）「{title}」', liveConfirmed: '{beneficiary} 确认圆梦「{title}」', liveOther: '{beneficiary}「{title}」{status}',
      someone: '爱心人士', live: '实时',
      elevators: '加装电梯', elevatorCompleted: '已投用', elevatorApproved: '已批/在建', elevatorNone: '暂无加装电梯项目',
      panel: { overview: '人口', wishes: '微心愿', alliance: '红色联盟', property: '红色物业', party: '智慧党建', brain: '红色大脑', map: '区域地图' },
      fig: {
        persons: '人口', households: '户数', elders80: '80岁以上', eldersAlone: '独居老人',
        collected: '征集', claimed: '认领', fulfilled: '圆梦', confirmed: '确认',
        units: '成员单位', committeeUnits: '委员单位', resources: '资源', projects: '共建项目',
        elevators: '加装电梯', elevatorsCompleted: '电梯投用', serviceRequests: '服务工单', slaMetPercent: '按时办结', bookings: '功能室预约', practicalMatters: '暖心实事',
        organisations: '党组织', members: '党员',
        sourcesConnected: '接入数据源', rowsMovedToday: '今日交换', openTasks: '核查在办', closedTasks: '核查办结', rowsExchanged: '交换行数', tasksCreated: '新建核查', tasksClosed: '办结核查',
      },
      orgKind: { party_working_committee: '党工委', party_committee: '党委', general_branch: '党总支', branch: '党支部' },
      point: { station: '便民站点', position: '党群服务阵地', elevator: '加装电梯' },
      broadcast: '轮播', broadcastOn: '轮播中', lastUpdate: '更新于 {at}', outOfScope: '该区域不在本账号范围内，已显示本账号范围',
      mapMetric: '人口', drillHint: '点击区域下钻',
      pyramid: { title: '人口年龄金字塔', male: '男', female: '女', years: '岁' },
    },
  },
  en: {
    screen: {
      title: 'Red Community · City Cockpit', loginTitle: 'Sign in to the cockpit', overview: 'Live overview', residentsBy: 'Residents by {level}',
      householdsBy: 'Households by {level}', share: 'Residents share', perHousehold: 'People per household', noPermission: 'This account may not view the cockpit',
      tasks: 'Verification tasks: {assigned} assigned · {done} closed · {confirmed} confirmed',
      hub: 'Red Brain: {sourcesConnected}/{datasets} sources connected · {rowsMovedToday} rows moved today · {fresh} up to date', updated: 'Updated {at}', refreshEvery: 'Refreshes every 30 s', scope: 'Scope', unitPeople: '', unitHouseholds: '', unitItems: '',
      loadFailed: 'Could not load data: {msg}', ranking: 'Residents ranking',
      wishTree: 'Wish tree', wishTreeSeason: 'Wish tree · {season}', litTotal: 'Lit {lit} / {total}', legendLit: 'Fulfilled (lit)', legendClaimed: 'Claimed',
      legendOpen: 'Open', noWishes: 'No wishes this season yet', wishWall: 'Wish wall · live', justNow: 'just now', minutesAgo: '{n} min ago', hoursAgo: '{n} h ago',
      daysAgo: '{n} d ago', liveClaimed: '{who} claimed {beneficiary}’s wish “{title}”', liveFulfilled: '{who} fulfilled “{title}” for {beneficiary}',
      livePublished: 'New wish: {beneficiary} ({community}) “{title}”', liveConfirmed: '{beneficiary} confirmed “{title}”', liveOther: '{beneficiary} “{title}” {status}',
      someone: 'A volunteer', live: 'Live',
      elevators: 'Elevator retrofits', elevatorCompleted: 'In service', elevatorApproved: 'Approved / building', elevatorNone: 'No elevator projects',
      panel: { overview: 'Population', wishes: 'Micro-wishes', alliance: 'Red Alliance', property: 'Red Property', party: 'Party building', brain: 'Red Brain', map: 'Map' },
      fig: {
        persons: 'Persons', households: 'Households', elders80: 'Aged 80+', eldersAlone: 'Elders alone',
        collected: 'Collected', claimed: 'Claimed', fulfilled: 'Fulfilled', confirmed: 'Confirmed',
        units: 'Units', committeeUnits: 'Committee units', resources: 'Resources', projects: 'Projects',
        elevators: 'Elevators', elevatorsCompleted: 'In service', serviceRequests: 'Requests', slaMetPercent: 'SLA met', bookings: 'Bookings', practicalMatters: 'Practical matters',
        organisations: 'Organisations', members: 'Members',
        sourcesConnected: 'Sources', rowsMovedToday: 'Rows today', openTasks: 'Tasks open', closedTasks: 'Tasks closed', rowsExchanged: 'Rows exchanged', tasksCreated: 'Tasks created', tasksClosed: 'Tasks closed',
      },
      orgKind: { party_working_committee: 'Working committee', party_committee: 'Committee', general_branch: 'General branch', branch: 'Branch' },
      point: { station: 'Stations', position: 'Service positions', elevator: 'Elevator retrofits' },
      broadcast: 'Broadcast', broadcastOn: 'Broadcasting', lastUpdate: 'Updated {at}', outOfScope: 'That region is outside this account\'s scope; showing the account\'s own',
      mapMetric: 'Persons', drillHint: 'Click an area to drill down',
      pyramid: { title: 'Age pyramid', male: 'Male', female: 'Female', years: 'years' },
    },
  },
} satisfies Messages;

/** Fails the type check when the English and the Chinese keys differ. */
export type ScreenPaired = Paired<typeof screen>;
