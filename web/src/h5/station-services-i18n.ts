import { extendMessages, type Messages } from '@shared/i18n';
import { i18n } from './i18n';

/** H5 words for station services (站点服务): ask a station, take and finish as a member, rate as the resident. */
const stationServicesH5 = {
  'zh-CN': {
    stationSvc: {
      title: '站点服务', ask: '申请服务', askTitle: '向「{station}」申请服务', asked: '已申请，等待党员或站点接单', signInFirst: '请先登录再申请服务',
      tabs: { mine: '我申请的', open: '待接单', handling: '我服务的' }, empty: '暂无记录',
      take: '接单', taken: '已接单', done: '服务完成', finished: '已完成，感谢您的服务', rate: '评价', rated: '感谢您的评价',
      rateTitle: '评价本次服务', comment: '说说您的感受（可不填）', submit: '提交', handler: '服务人：{name}', member: '党员', badge: '亮身份 · {org}',
      status: { requested: '待服务', taken: '服务中', done: '已完成' },
    },
  },
  en: {
    stationSvc: {
      title: 'Station services', ask: 'Ask for a service', askTitle: 'Ask “{station}” for a service', asked: 'Asked; waiting for a party member or the station', signInFirst: 'Sign in to ask for a service',
      tabs: { mine: 'My requests', open: 'Waiting', handling: 'I serve' }, empty: 'Nothing here',
      take: 'Take', taken: 'Taken', done: 'Mark done', finished: 'Done — thank you', rate: 'Rate', rated: 'Thanks for rating',
      rateTitle: 'Rate this service', comment: 'Your comment (optional)', submit: 'Submit', handler: 'Served by {name}', member: 'Party member', badge: 'Party member · {org}',
      status: { requested: 'Waiting', taken: 'In service', done: 'Done' },
    },
  },
} satisfies Messages;

extendMessages(i18n, stationServicesH5);
