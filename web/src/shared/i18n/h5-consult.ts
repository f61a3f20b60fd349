import type { Messages, Paired } from './index';

/** Resident H5: consultations, the vote page and my elevator (loaded with those pages). */
export const h5Consult = {
  'zh-CN': {
    consultH5: {
      listTitle: '有事好商量', slogan: '大家的事大家商量，商量好了一起办', empty: '暂无与您家相关的议题', noMore: '没有更多了', loadFailed: '加载失败，点击重试',
      detailTitle: '议题详情', notFound: '议题不存在或您无权查看', progress: '议事进度', votesTitle: '业主表决', toVote: '待投票', myVoted: '已投票',
      postPh: '说说您的想法…', replyPh: '回复 {name}…', send: '发送', sent: '已发送', reply: '回复', cancelReply: '取消回复', asEvaluation: '作为评价提交',
      evaluationHint: '议题已进入评价阶段，欢迎对办理结果作出评价', needBody: '请输入内容', replies: '{n} 条回复', closedHint: '议题已结束',
      myElevator: '我家的电梯',
      voteTitle: '业主表决', voteNotFound: '表决不存在或您无权查看', myRooms: '我的房屋', pickRoom: '选择投票的房屋', ballotTitle: '请投票',
      ballotHint: '每套房屋一票，投出后不能更改', confirmTitle: '确认投票', confirmText: '确认以「{room}」投「{choice}」吗？投票后不能更改。',
      voted: '已投票', votedChoice: '您投了「{choice}」', votedSecret: '不记名投票，选择已保密', allVoted: '您的房屋均已投票', ballotOk: '投票成功',
      notHolder: '您不是本次表决的投票业主（共有房屋由登记的投票人投票），可在表决结束后查看结果。', notOpen: '表决尚未开始，请留意社区通知。',
      notOpenYet: '表决将于 {at} 开始', closesAt: '{at} 截止', closedNoResult: '表决已结束，结果计算中', resultTitle: '表决结果',
      objection: '对结果有异议', objectionTitle: '提出异议', objectionPh: '请写明您的异议和理由（公示期内可提出）', objectionSent: '异议已提交，社区将组织协商调解',
      objectionRule: '请至少写 2 个字', roomArea: '{area}',
      elevatorTitle: '我家的电梯', elevatorEmpty: '您家所在单元暂无加装电梯项目', myShare: '我家应分摊', shareLine: '{room} · {area} · 楼层系数 {c}',
      costLine: '总造价 {total}，政府补贴 {subsidy}，业主共同分摊 {payable}', stagesTitle: '项目进度', current: '当前阶段', stageDone: '完成于 {at}', stageStarted: '开始于 {at}',
      shareNote: '分摊按楼层系数 × 专有面积计算，金额精确到分', viewVote: '去表决', myVote: '我的投票：', notVoted: '未投票', resultLine: '表决结果：{v}',
    },
  },
  en: {
    consultH5: {
      listTitle: 'Let\'s talk it over', slogan: 'Our matters, decided together', empty: 'No topics about your home yet', noMore: 'No more', loadFailed: 'Could not load; tap to retry',
      detailTitle: 'Topic', notFound: 'This topic does not exist or is not yours to see', progress: 'Progress', votesTitle: 'Owners\' votes', toVote: 'Vote now', myVoted: 'Voted',
      postPh: 'Share your view…', replyPh: 'Reply to {name}…', send: 'Send', sent: 'Sent', reply: 'Reply', cancelReply: 'Cancel reply', asEvaluation: 'Submit as evaluation',
      evaluationHint: 'The topic is in evaluation: tell us how it was handled', needBody: 'Write something first', replies: '{n} replies', closedHint: 'This topic is closed',
      myElevator: 'My elevator',
      voteTitle: 'Owners\' vote', voteNotFound: 'This vote does not exist or is not yours to see', myRooms: 'My rooms', pickRoom: 'Room to vote for', ballotTitle: 'Your vote',
      ballotHint: 'One vote per room; it cannot be changed', confirmTitle: 'Confirm your vote', confirmText: 'Vote “{choice}” for {room}? This cannot be changed.',
      voted: 'Voted', votedChoice: 'You voted “{choice}”', votedSecret: 'Secret ballot: your choice is not shown', allVoted: 'All your rooms have voted', ballotOk: 'Vote recorded',
      notHolder: 'You do not hold the vote of a room in this vote (jointly owned rooms vote through the registered holder). You can see the result once it closes.',
      notOpen: 'Voting has not started yet.', notOpenYet: 'Voting opens {at}', closesAt: 'Closes {at}', closedNoResult: 'Voting closed; counting', resultTitle: 'Result',
      objection: 'Object to the result', objectionTitle: 'Raise an objection', objectionPh: 'Your objection and why (during the public notice)', objectionSent: 'Objection sent; the community will mediate',
      objectionRule: 'At least 2 characters', roomArea: '{area}',
      elevatorTitle: 'My elevator', elevatorEmpty: 'No elevator project in your unit yet', myShare: 'My share', shareLine: '{room} · {area} · floor factor {c}',
      costLine: 'Total {total}, subsidy {subsidy}, owners pay {payable}', stagesTitle: 'Progress', current: 'Now', stageDone: 'Done {at}', stageStarted: 'Started {at}',
      shareNote: 'Shares follow floor factor × exclusive area, exact to the fen', viewVote: 'Vote', myVote: 'My vote: ', notVoted: 'did not vote', resultLine: 'Result: {v}',
    },
  },
} satisfies Messages;

/** Fails the type check when the English and the Chinese keys differ. */
export type H5ConsultPaired = Paired<typeof h5Consult>;
