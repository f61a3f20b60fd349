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
    },
  },
} satisfies Messages;

/** Fails the type check when the English and the Chinese keys differ. */
export type ScreenPaired = Paired<typeof screen>;
