import type { Messages, Paired } from '@shared/i18n';

/** Console words for 社区公告 (notices). Merged into the console's messages in ./i18n.ts (the menu needs them before the page loads). */
export const noticeMessages = {
  'zh-CN': {
    menu: { notices: '社区公告' },
    notices: {
      status: { active: '发布中', expired: '已过期', withdrawn: '已撤回' },
      level: { district: '全区', street: '街道', community: '社区', compound: '小区', building: '楼栋' },
      searchPh: '按标题搜索', allStatuses: '全部状态', allRegions: '全部范围', pinnedOnly: '仅置顶',
      create: '发布公告', edit: '编辑公告', title: '标题', body: '正文', region: '发布范围', pinned: '置顶', expiresAt: '截止时间', noExpiry: '长期有效',
      publishedAt: '发布时间', publisher: '发布人', statusLabel: '状态', readRate: '阅读率', readers: '{readers} / {audience} 人已读', attachments: '附件',
      withdraw: '撤回', withdrawConfirm: '撤回后居民将看不到「{title}」，确定撤回吗？', withdrawn: '已撤回', published: '已发布「{title}」', saved: '公告已保存',
      pin: '置顶', unpin: '取消置顶', pinnedOn: '已置顶', pinnedOff: '已取消置顶',
      upload: '添加附件（图片或 PDF）', uploaded: '附件已上传', removeFile: '删除', removed: '附件已删除', rateHint: '阅读率 = 已读账号 ÷ 居住在发布范围内的居民账号',
      rules: {
        title: '请填写标题（1–100 字）', body: '请填写正文（1–5000 字）', region: '请选择发布范围（区、街道、社区、小区或楼栋）', expiresAt: '截止时间须晚于当前时间',
      },
      bodyPh: '公告正文；手机号、身份证号与门牌号会被自动遮挡',
    },
  },
  en: {
    menu: { notices: 'Notices' },
    notices: {
      status: { active: 'Active', expired: 'Expired', withdrawn: 'Withdrawn' },
      level: { district: 'District', street: 'Street', community: 'Community', compound: 'Compound', building: 'Building' },
      searchPh: 'Search titles', allStatuses: 'All statuses', allRegions: 'All regions', pinnedOnly: 'Pinned only',
      create: 'Publish notice', edit: 'Edit notice', title: 'Title', body: 'Text', region: 'Audience region', pinned: 'Pinned', expiresAt: 'Expires', noExpiry: 'No expiry',
      publishedAt: 'Published', publisher: 'Publisher', statusLabel: 'Status', readRate: 'Read rate', readers: '{readers} of {audience} read', attachments: 'Files',
      withdraw: 'Withdraw', withdrawConfirm: 'Residents will no longer see "{title}". Withdraw it?', withdrawn: 'Withdrawn', published: '"{title}" published', saved: 'Notice saved',
      pin: 'Pin', unpin: 'Unpin', pinnedOn: 'Pinned', pinnedOff: 'Unpinned',
      upload: 'Add files (images or PDF)', uploaded: 'Files uploaded', removeFile: 'Remove', removed: 'File removed', rateHint: 'Read rate = accounts that read it ÷ resident accounts living in the region',
      rules: {
        title: 'Enter a title (1–100 characters)', body: 'Enter the text (1–5000 characters)', region: 'Pick a district, street, community, compound or building', expiresAt: 'Must be in the future',
      },
      bodyPh: 'The notice; phone numbers, ID numbers and door numbers are masked automatically',
    },
  },
} satisfies Messages;

export type NoticeMessages = Paired<typeof noticeMessages>;
