import { extendMessages, type Messages, type Paired } from '@shared/i18n';
import { practicalCodes } from '@shared/i18n/practical';
import { i18n } from './i18n';

/** The H5's practical-matter words (暖心实事): the public list and page, the survey, the home entry. */
const practicalH5 = {
  'zh-CN': {
    pmH5: {
      title: '暖心实事', detailTitle: '实事详情', homeText: '老旧小区改造、充电桩、雨污分流…… 进度公开，完工后请您评价',
      intro: '每一件为民办实事的进度、资金和照片都在这里公开，完工验收后受益小区的每户居民可评价一次。',
      searchPh: '搜索实事名称', all: '全部', allCategories: '全部类别', totalN: '共 {n} 件', noMore: '没有更多了', retry: '加载失败，点击重试', none: '暂无相关实事',
      scoreShort: '{n} 分', dueOn: '计划 {d} 完成', yearN: '{n} 年度', progress: '进度', milestonesDone: '已完成 {done}/{n} 个里程碑',
      compounds: '受益小区', region: '所属区域', plan: '计划工期', budget: '预算', spent: '已支出', units: '责任单位',
      survey: '居民满意度', surveyOpen: '评价进行中', surveyClosed: '评价已截止', average: '平均分', households: '参评户数', rate: '参评率',
      loginToAnswer: '受益小区居民登录后可参与评价。', login: '去登录', ask: '您对这件实事满意吗？', starsN: '{n} 星',
      scoreText: { s1: '很不满意', s2: '不满意', s3: '一般', s4: '满意', s5: '非常满意' },
      commentPh: '说说您的感受或建议（选填，公开时不显示您的身份）', submit: '提交评价', oncePerHousehold: '每户限评价一次', pickStars: '请先选择星级',
      thanks: '感谢您的评价！当前平均 {avg} 分', answered: '本户已评价', notEligible: '仅受益小区的住户可以评价这件实事',
      milestones: '进展节点', doneAt: '{d} 完成', due: '计划 {d}', lateDue: '计划 {d}，已超期', noMilestones: '暂无进展节点',
      beforeAfter: '前后对比', before: '施工前', after: '完工后', missing: '这件实事不存在或已删除',
    },
  },
  en: {
    pmH5: {
      title: 'Practical matters', detailTitle: 'Practical matter', homeText: 'Renovation, charging piles, sewage… progress in public; rate them when done',
      intro: 'Progress, money and photos of every practical matter are public here; once accepted, each household of the compounds served may rate it once.',
      searchPh: 'Search by name', all: 'All', allCategories: 'All categories', totalN: '{n} matters', noMore: 'No more', retry: 'Failed to load; tap to retry', none: 'Nothing here',
      scoreShort: '{n} / 5', dueOn: 'due {d}', yearN: '{n}', progress: 'Progress', milestonesDone: '{done} of {n} milestones done',
      compounds: 'Compounds served', region: 'Region', plan: 'Schedule', budget: 'Budget', spent: 'Spent', units: 'Responsible units',
      survey: 'Residents\' satisfaction', surveyOpen: 'Open', surveyClosed: 'Ended', average: 'Average', households: 'Households', rate: 'Turnout',
      loginToAnswer: 'Residents of the compounds served may rate it after signing in.', login: 'Sign in', ask: 'Are you satisfied with it?', starsN: '{n} stars',
      scoreText: { s1: 'Very unsatisfied', s2: 'Unsatisfied', s3: 'Neutral', s4: 'Satisfied', s5: 'Very satisfied' },
      commentPh: 'Your comment (optional; shown without your identity)', submit: 'Submit', oncePerHousehold: 'One answer per household', pickStars: 'Pick the stars first',
      thanks: 'Thank you! The average is now {avg}', answered: 'Your household has answered', notEligible: 'Only households of the compounds served may rate it',
      milestones: 'Milestones', doneAt: 'done {d}', due: 'due {d}', lateDue: 'due {d}, late', noMilestones: 'No milestones yet',
      beforeAfter: 'Before and after', before: 'Before', after: 'After', missing: 'This matter does not exist',
    },
  },
} satisfies Messages;

/** Fails the type check when the English and the Chinese keys differ. */
export type PracticalH5Paired = Paired<typeof practicalH5>;

/** Imported by the practical-matter pages and the home page's entry: their words arrive with them. */
extendMessages(i18n, practicalCodes, practicalH5);
