import { extendMessages, type Messages } from '@shared/i18n';
import { i18n } from './i18n';

/** H5 words for party members (智慧党建): my organisation, activities and sign-in, my points. Imported by the pages that use them and by 我的. */
const partyH5 = {
  'zh-CN': {
    partyH5: {
      entry: '智慧党建', title: '我的组织', myOrg: '所在党组织', members: '{n} 名党员', leaders: '支部班子', report: '双报到社区', notReported: '未报到',
      points: '我的积分', pointsUnit: '分', ledger: '积分明细', noLedger: '暂无积分记录', activities: '组织生活', noActivities: '暂无组织生活',
      checkedIn: '已签到', notCheckedIn: '未签到', upcoming: '即将开始', scanHint: '到场后扫描活动现场的签到二维码',
      kind: { general_meeting: '支部党员大会', committee_meeting: '支委会', group_meeting: '党小组会', lecture: '党课', theme_day: '主题党日' },
      checkinTitle: '活动签到', checkinBtn: '确认签到', checkinDone: '签到成功', checkinAt: '签到时间 {time}', earned: '获得 {points} 积分', badToken: '签到二维码无效',
      notMember: '您的账号未关联党员，无法使用党员功能', back: '返回我的组织',
      posts: '请缨岗位', noPosts: '暂无招募中的岗位', postPlaces: '名额 {accepted}/{slots}', volunteer: '我要请缨', volunteerNote: '请缨留言（可不填）',
      volunteered: '已请缨，等待组织确认', offer: { pending: '已请缨 · 待确认', accepted: '已接受', declined: '已婉拒' },
      ratings: '群众评价 · {n} 条 · 平均 {avg} 星',
    },
  },
  en: {
    partyH5: {
      entry: 'Party building', title: 'My organisation', myOrg: 'Party organisation', members: '{n} members', leaders: 'Branch committee', report: 'Reported to community', notReported: 'Not reported',
      points: 'My points', pointsUnit: 'pts', ledger: 'Points ledger', noLedger: 'No points yet', activities: 'Organisation life', noActivities: 'No activities',
      checkedIn: 'Signed in', notCheckedIn: 'Not signed in', upcoming: 'Upcoming', scanHint: 'Scan the sign-in code shown at the activity',
      kind: { general_meeting: 'Branch general meeting', committee_meeting: 'Committee meeting', group_meeting: 'Group meeting', lecture: 'Party lecture', theme_day: 'Theme day' },
      checkinTitle: 'Sign in', checkinBtn: 'Sign in', checkinDone: 'Signed in', checkinAt: 'Signed in at {time}', earned: '{points} points earned', badToken: 'Invalid sign-in code',
      notMember: 'Your account is not linked to a party member', back: 'Back to my organisation',
      posts: 'Volunteer posts', noPosts: 'No open posts', postPlaces: 'Places {accepted}/{slots}', volunteer: 'Volunteer', volunteerNote: 'Message (optional)',
      volunteered: 'Offer sent; waiting for the organisation', offer: { pending: 'Offered · pending', accepted: 'Accepted', declined: 'Declined' },
      ratings: 'Residents\' ratings · {n} · average {avg} stars',
    },
  },
} satisfies Messages;

extendMessages(i18n, partyH5);
