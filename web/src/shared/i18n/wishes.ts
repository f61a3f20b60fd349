import type { Messages, Paired } from './index';

/** Micro-wish words all three apps use (loaded with the wish pages, not at start-up). */
export const wishCommon = {
  'zh-CN': {
    wish: {
      status: {
        pending_review: '待审核', published: '待认领', rejected: '未通过', claimed: '已认领', fulfilled: '已圆梦', confirmed: '已确认', withdrawn: '已撤回',
      },
      category: { goods: '物质', service: '服务', companionship: '陪伴' },
      target: { elder: '独居老人', child: '儿童', disabled: '残疾人', hardship: '困难家庭', other: '其他' },
      channel: { h5: '居民提交', visit: '入户走访', import: 'Excel 导入', wechat: '微信公众号' },
      event: {
        submitted: '提交心愿', published: '审核通过，发布到心愿墙', rejected: '未通过审核', withdrawn: '心愿已撤回', edited: '心愿信息已修改',
        claimed: '{who} 认领了心愿', released: '认领人放弃了认领，心愿重新开放', revoked: '社区撤销了认领，心愿重新开放', reminded: '认领即将到期提醒',
        fulfilled: '{who} 完成圆梦', confirmed: '受助人确认圆梦',
      },
      code: '编号', title: '心愿标题', story: '心愿故事', categoryLabel: '类别', targetLabel: '帮扶对象', value: '预估价值', free: '无需花费',
      beneficiary: '受助人', community: '社区', claimer: '认领人', season: '心愿季', status_: '状态', views: '{n} 次浏览', rating: '评分',
      thanks: '感谢留言', photos: '心愿照片', evidence: '圆梦照片', timeline: '心愿进度', reason: '原因', note: '圆梦说明', channelLabel: '来源',
      ratingStars: '{n} 星', photoCount: '{n} 张照片', publishedAt: '发布时间', claimedAt: '认领时间', fulfilledAt: '圆梦时间', confirmedAt: '确认时间',
      createdAt: '提交时间', dueAt: '圆梦期限',
    },
  },
  en: {
    wish: {
      status: {
        pending_review: 'In review', published: 'Open', rejected: 'Not approved', claimed: 'Claimed', fulfilled: 'Fulfilled', confirmed: 'Confirmed', withdrawn: 'Withdrawn',
      },
      category: { goods: 'Goods', service: 'Service', companionship: 'Companionship' },
      target: { elder: 'Elder living alone', child: 'Child', disabled: 'Person with disability', hardship: 'Family in hardship', other: 'Other' },
      channel: { h5: 'Resident (H5)', visit: 'Home visit', import: 'Excel import', wechat: 'WeChat account' },
      event: {
        submitted: 'Wish submitted', published: 'Approved and published on the wall', rejected: 'Not approved', withdrawn: 'Wish withdrawn', edited: 'Wish edited',
        claimed: 'Claimed by {who}', released: 'The claimer gave it back; open again', revoked: 'Claim revoked by the community; open again', reminded: 'Claim deadline reminder',
        fulfilled: 'Fulfilled by {who}', confirmed: 'Confirmed by the beneficiary',
      },
      code: 'Code', title: 'Title', story: 'Story', categoryLabel: 'Category', targetLabel: 'For', value: 'Estimated value', free: 'No cost',
      beneficiary: 'Beneficiary', community: 'Community', claimer: 'Claimed by', season: 'Season', status_: 'Status', views: '{n} views', rating: 'Rating',
      thanks: 'Thank-you note', photos: 'Photos', evidence: 'Fulfilment photos', timeline: 'Progress', reason: 'Reason', note: 'Fulfilment note', channelLabel: 'Source',
      ratingStars: '{n} stars', photoCount: '{n} photos', publishedAt: 'Published', claimedAt: 'Claimed', fulfilledAt: 'Fulfilled', confirmedAt: 'Confirmed',
      createdAt: 'Submitted', dueAt: 'Due',
    },
  },
} satisfies Messages;

/** Fails the type check when the English and the Chinese keys differ. */
export type WishCommonPaired = Paired<typeof wishCommon>;
