import { extendMessages, type Messages, type Paired } from '@shared/i18n';
import { i18n } from './i18n';

/** The H5's compound page (四方联动): who is who on the four parties, how to reach them, and the monthly rating of the property service. */
const compoundH5 = {
  'zh-CN': {
    compH5: {
      title: '我的小区', entry: '我的小区 · 四方联动',
      kind: { residents_committee: '居委会', owners_committee: '业委会', property_company: '物业', grid: '网格' },
      badge: '共产党员', crossAppointed: '交叉任职',
      intro: '居委会、业委会、物业和网格四方联动，共同服务小区。党员亮身份，有事可以直接找他们。',
      counts: '{parties} 个组织 · {people} 人 · {partyMembers} 名党员',
      office: '办公地点', hours: '接待时间', noMembers: '暂无人员', noParties: '尚未建立', call: '拨打', phoneMasked: '电话已隐藏，请到办公地点或服务站联系',
      crossTitle: '交叉任职', crossHint: '同时在本小区两个及以上组织任职',
      rateTitle: '{month} 物业服务评价', rateAsk: '您对本月小区物业服务满意吗？', starsN: '{n} 星',
      scoreText: { s1: '很不满意', s2: '不满意', s3: '一般', s4: '满意', s5: '非常满意' },
      commentPh: '说说您的意见或建议（选填，不公开您的身份）', submit: '提交评价', oncePerMonth: '每户每月可评价一次，结果计入红色物业示范小区考评',
      pickStars: '请先选择星级', thanks: '感谢您的评价！', rated: '本户本月已评价', ratedAt: '{at} 评价', noHousehold: '您的账号尚未关联住户，暂不能评价',
      notFound: '没有找到您所在的小区', notFoundHint: '账号尚未关联本小区的住址时无法查看，请联系社区工作人员。',
    },
  },
  en: {
    compH5: {
      title: 'My compound', entry: 'My compound · four parties',
      kind: { residents_committee: 'Residents\' committee', owners_committee: 'Owners\' committee', property_company: 'Property company', grid: 'Grid' },
      badge: 'Party member', crossAppointed: 'Cross-appointed',
      intro: 'The residents\' committee, the owners\' committee, the property company and the grid serve the compound together. Party members show who they are; reach them directly.',
      counts: '{parties} parties · {people} people · {partyMembers} party members',
      office: 'Office', hours: 'Hours', noMembers: 'No one yet', noParties: 'Not set up', call: 'Call', phoneMasked: 'Phone hidden; visit the office or the service station',
      crossTitle: 'Cross-appointments', crossHint: 'Holding posts in two or more parties here',
      rateTitle: 'Property service in {month}', rateAsk: 'Are you satisfied with the property service this month?', starsN: '{n} stars',
      scoreText: { s1: 'Very unsatisfied', s2: 'Unsatisfied', s3: 'Neutral', s4: 'Satisfied', s5: 'Very satisfied' },
      commentPh: 'Your opinion or suggestion (optional; your identity is not shown)', submit: 'Submit', oncePerMonth: 'One rating per household a month; it counts in the demonstration-compound assessment',
      pickStars: 'Pick the stars first', thanks: 'Thank you for your rating!', rated: 'Your household has rated this month', ratedAt: 'rated {at}', noHousehold: 'Your account is not linked to a household yet',
      notFound: 'Your compound was not found', notFoundHint: 'It shows once your account is linked to a home in the compound; ask the community.',
    },
  },
} satisfies Messages;

/** Fails the type check when the English and the Chinese keys differ. */
export type CompoundH5Paired = Paired<typeof compoundH5>;

/** Imported by the compound page and the entry to it: their words arrive with them. */
extendMessages(i18n, compoundH5);
