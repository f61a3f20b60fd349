import type { Messages } from './index';

/** Cockpit big screen (/screen/). */
export const screen: Messages = {
  'zh-CN': {
    screen: {
      title: '红色社区 · 城市驾驶舱', loginTitle: '登录城市驾驶舱', overview: '实时概况', residentsBy: '各{level}居民人数',
      householdsBy: '各{level}户数', share: '居民分布', perHousehold: '户均人数', noPermission: '当前账号没有驾驶舱查看权限',
      updated: '数据更新于 {at}', refreshEvery: '每 30 秒自动刷新', scope: '范围', unitPeople: '人', unitHouseholds: '户', unitItems: '个',
      loadFailed: '数据加载失败：{msg}', ranking: '居民人数排行',
    },
  },
  en: {
    screen: {
      title: 'Red Community · City Cockpit', loginTitle: 'Sign in to the cockpit', overview: 'Live overview', residentsBy: 'Residents by {level}',
      householdsBy: 'Households by {level}', share: 'Residents share', perHousehold: 'People per household', noPermission: 'This account may not view the cockpit',
      updated: 'Updated {at}', refreshEvery: 'Refreshes every 30 s', scope: 'Scope', unitPeople: '', unitHouseholds: '', unitItems: '',
      loadFailed: 'Could not load data: {msg}', ranking: 'Residents ranking',
    },
  },
};
