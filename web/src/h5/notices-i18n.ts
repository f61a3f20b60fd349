import { extendMessages, type Messages } from '@shared/i18n';
import { i18n } from './i18n';

/** H5 words for 社区公告 (notices). Imported by the pages that use them, the home page and the tab bar. */
const noticeH5 = {
  'zh-CN': {
    noticeH5: {
      title: '社区公告', empty: '暂无公告', pinned: '置顶', unread: '未读', attachments: '附件', expires: '有效期至 {time}', publishedAt: '发布于 {time}',
      gone: '该公告已过期或已撤回', more: '没有更多了', loadFailed: '加载失败，点击重试',
      level: { district: '全区', street: '街道', community: '社区', compound: '小区', building: '楼栋' },
    },
  },
  en: {
    noticeH5: {
      title: 'Notices', empty: 'No notices', pinned: 'Pinned', unread: 'Unread', attachments: 'Files', expires: 'Until {time}', publishedAt: 'Published {time}',
      gone: 'This notice has expired or been withdrawn', more: 'No more', loadFailed: 'Failed to load; tap to retry',
      level: { district: 'District', street: 'Street', community: 'Community', compound: 'Compound', building: 'Building' },
    },
  },
} satisfies Messages;

extendMessages(i18n, noticeH5);
