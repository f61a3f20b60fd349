import { extendMessages, type Messages, type Paired } from '@shared/i18n';
import { i18n } from './i18n';

/** The H5's public figures page (公开数据) and its panel on the home page. */
const figuresH5 = {
  'zh-CN': {
    figH5: {
      title: '公开数据', intro: '红色联盟、红色物业的建设成效，全区汇总，向所有人公开。', updatedAt: '统计于 {t}',
      homeTitle: '公开数据', homeGo: '查看全部', failed: '数据加载失败', retry: '重试',
      wishes: '点亮微心愿', collected: '征集心愿', fulfilled: '已圆梦', views: '浏览次数', bySeason: '各季心愿', seasonLine: '圆梦 {f} / 征集 {c}', seasonViews: '浏览 {n}',
      legendCollected: '征集', legendFulfilled: '圆梦', noSeasons: '暂无心愿季', toWall: '去心愿墙看看',
      alliance: '红色联盟', units: '成员单位', committeeUnits: '委员单位', projects: '共建项目', projectsLine: '共建项目：实施中 {a} · 已完成 {d}',
      elevators: '加装电梯', elevatorsCompleted: '已投入使用', elevatorsApproved: '已获批或施工中', elevatorsPreparing: '征询表决中',
      matters: '暖心实事', mattersTotal: '实事总数', toMatters: '查看每一件实事',
    },
  },
  en: {
    figH5: {
      title: 'Public figures', intro: 'What the Red Alliance and Red Property have done, district-wide, open to everyone.', updatedAt: 'As of {t}',
      homeTitle: 'Public figures', homeGo: 'See all', failed: 'Could not load the figures', retry: 'Retry',
      wishes: 'Micro-wishes', collected: 'Collected', fulfilled: 'Fulfilled', views: 'Views', bySeason: 'By season', seasonLine: 'Fulfilled {f} / collected {c}', seasonViews: '{n} views',
      legendCollected: 'Collected', legendFulfilled: 'Fulfilled', noSeasons: 'No seasons yet', toWall: 'Go to the wish wall',
      alliance: 'Red Alliance', units: 'Member units', committeeUnits: 'Committee units', projects: 'Joint projects', projectsLine: 'Joint projects: {a} active · {d} done',
      elevators: 'Elevator retrofits', elevatorsCompleted: 'In service', elevatorsApproved: 'Approved / building', elevatorsPreparing: 'Survey or vote',
      matters: 'Practical matters', mattersTotal: 'Matters', toMatters: 'See every matter',
    },
  },
} satisfies Messages;

/** Fails the type check when the English and the Chinese keys differ. */
export type FiguresH5Paired = Paired<typeof figuresH5>;

extendMessages(i18n, figuresH5);
