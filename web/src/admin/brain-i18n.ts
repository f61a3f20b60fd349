import type { Messages, Paired } from '@shared/i18n';
import type { ApprovalStatus, CatalogueItem, PersonalLevel, RunStatus, ShareType } from '@shared/brain';

/**
 * Red Brain (红色大脑) console words: departments and systems, the catalogue and a dataset's page,
 * uploads with their column mapping, connectors and runs, use approvals, the exchange log. Merged
 * into the console's messages in ./i18n.ts (the menu needs them before the pages load). Every code
 * a person sees is named here.
 */
export const brainMessages = {
  'zh-CN': {
    menu: {
      brain: '红色大脑', brainRegistry: '部门与系统', brainCatalogue: '数据目录', brainDataset: '数据集', brainConnectors: '连接器',
      brainApprovals: '使用审批', brainExchangeLog: '交换日志',
    },
    brain: {
      shareType: { open: '无条件共享', conditional: '有条件共享', none: '不予共享' },
      cycle: { realtime: '实时', hourly: '每小时', daily: '每日', weekly: '每周', monthly: '每月', quarterly: '每季度', yearly: '每年', irregular: '不定期' },
      fieldType: { text: '文本', int: '整数', number: '数字', date: '日期', timestamp: '时间' },
      personal: { none: '非个人信息', personal: '个人信息', sensitive: '敏感个人信息' },
      level: { city: '市级部门', district: '区级部门', street: '街道', enterprise: '企业' },
      legalBasis: {
        consent: '取得个人的同意', contract_hr: '订立履行合同/人力资源管理', legal_duty: '履行法定职责或法定义务', public_health: '应对突发公共卫生事件',
        news: '新闻报道舆论监督', public_info: '处理已公开的个人信息', other_law: '法律行政法规规定的其他情形',
      },
      legalItem: '第十三条第 {n} 项',
      freshness: { fresh: '按时更新', stale: '已超期', never: '从未同步' },
      connectorKind: { sql: '数据库（SQL）', http_pull: 'HTTP 拉取', webhook: 'HTTP 推送（Webhook）', mqtt: 'MQTT 订阅' },
      runKind: { file: '文件上传', sql: '数据库（SQL）', http_pull: 'HTTP 拉取', webhook: 'HTTP 推送', mqtt: 'MQTT 订阅' },
      runStatus: { queued: '排队中', running: '运行中', succeeded: '成功', failed: '失败' },
      runMode: { incremental: '增量', full: '全量核对' },
      stage: { starting: '启动', reading: '读取文件', importing: '导入中', pulling: '拉取中', reconciling: '核对删除', connecting: '连接中', connected: '已连接，接收中', offline: '连接中断，重连中', done: '完成', retrying: '等待重试', failed: '失败' },
      approvalStatus: { pending: '待审批', approved: '已批准', rejected: '已驳回', withdrawn: '已撤回', expired: '已过期' },
      exchangeKind: { run: '同步运行', read: '读取数据', approval: '审批', inbound: '推送接收', retention: '到期删除', reconcile: '全量核对' },
      outcome: { ok: '成功', denied: '拒绝访问', failed: '失败', refused: '拒收', approved: '批准', rejected: '驳回', expired: '到期', deleted: '已删除' },
      access: { provider: '提供部门', steward: '数据管理员', open: '无条件共享', approved: '已获批准' },
      // common
      department: '部门', system: '系统', dataset: '数据集', provider: '提供部门', code: '编码', description: '说明', createdAt: '登记时间',
      allDepartments: '全部部门', allSystems: '全部系统', allShareTypes: '全部共享方式', required: '必填', back: '返回数据目录',
      // registry
      departments: '部门（成员单位）', searchDepartments: '部门名称 / 编码', systems: '系统', datasets: '数据集', accounts: '账号', levelLabel: '层级',
      newDepartment: '登记部门', newSystem: '登记系统', pickDepartment: '请在左侧选择一个部门', systemsOf: '{name} 的系统', noSystems: '该部门尚未登记系统',
      departmentName: '部门名称', departmentNamePh: '如：市民政局', departmentCode: '部门编码', codePh: '字母开头，字母、数字、下划线，如 mzj',
      systemName: '系统名称', systemNamePh: '如：社会救助系统', systemCode: '系统编码（可不填）', departmentCreated: '已登记部门', systemCreated: '已登记系统',
      nameRule: '名称须 2–{max} 字', codeRule: '字母开头，字母、数字、下划线',
      // catalogue
      searchCatalogue: '数据集 / 部门 / 系统', shareTypeLabel: '共享方式', cycleLabel: '更新周期', rows: '数据行', lastSync: '最近同步', freshnessLabel: '时效',
      newDataset: '登记数据集', personalTag: '含个人信息', sensitiveTag: '含敏感个人信息',
      // the dataset dialog
      datasetName: '数据集名称', datasetNamePh: '如：高龄独居老人名单', fields: '字段', fieldName: '字段名', fieldLabel: '中文名', fieldTypeLabel: '类型',
      personalLevel: '个人信息', key: '主键', addField: '添加字段', removeField: '删除', fieldNamePh: '如 idNumber', fieldsRule: '至少一个字段、恰有 1–3 个主键字段，字段名不可重复',
      legalBasisLabel: '法律依据', legalBasisPh: '含个人信息时必填（个人信息保护法第十三条）', purpose: '处理目的', purposePh: '含个人信息时必填',
      retentionDays: '保存期限', days: '天', retentionPh: '含敏感个人信息时必填', timeField: '时间字段', timeFieldPh: '保存期限按此字段计算（可不填）',
      consumers: '可使用部门', consumersPh: '默认不向任何部门开放（可多选）', datasetCreated: '已登记数据集', systemPh: '先选择部门，再选择系统',
      // the dataset page
      keyFields: '主键', noDescription: '无', rowsN: '{n} 行', fieldsTitle: '字段（{n}）', consumersTitle: '可使用部门', usersTitle: '当前使用（有效授权）',
      noConsumers: '未向任何部门开放', noUsers: '暂无有效授权', expiresAt: '到期', sample: '样例数据（前 20 行，已脱敏）', sampleHidden: '仅数据管理员与提供部门可查看样例数据',
      noRows: '暂无数据', runs: '同步记录', noRuns: '暂无同步记录', run: '运行', kind: '方式', file: '文件', status: '状态', progress: '进度',
      countsText: '读入 {rowsIn} · 新增 {inserted} · 更新 {updated} · 未变 {unchanged} · 拒绝 {rejected}', deletedText: ' · 删除 {n}',
      startedAt: '开始', finishedAt: '结束', rejects: '下载被拒绝的行', connectors: '连接器', noConnectors: '暂无连接器', runNow: '立即运行',
      upload: '上传数据', requestUse: '申请使用', notConsumer: '本部门不在该数据集的可使用部门之列', pendingRequest: '已有待审批的申请', refresh: '刷新', accessAs: '访问身份：{as}', enabled: '启用', disabled: '停用',
      // upload
      uploadTitle: '上传数据：{name}', uploadRule: '支持 CSV（UTF-8 或 GB18030）与 .xlsx（第一个工作表），第一行为列名。按主键更新，重复上传不会增加行；列与字段的对应关系会保存供下次使用。',
      pickFile: '将 CSV 或 .xlsx 文件拖到此处，或点击选择', fileRequired: '请选择要上传的文件', mapping: '列与字段的对应',
      skipColumn: '不导入', unmapped: '未对应的字段：{fields}', keyUnmapped: '主键字段 {fields} 尚未对应，无法导入', previewRows: '前 {n} 行预览',
      rowNo: '行号', check: '校验', ok: '通过', importBtn: '开始导入', imported: '导入完成：新增 {inserted}、更新 {updated}、拒绝 {rejected}',
      importFailed: '导入失败：{error}', repick: '重新选择文件', previewOkN: '{ok} 行通过，{bad} 行有误',
      // use request
      requestTitle: '申请使用：{name}', requestPurpose: '用途', requestPurposePh: '说明使用这些数据做什么（至少 4 字）', requestFields: '所需字段',
      period: '使用期限', periodStart: '开始日期', periodEnd: '结束日期', requested: '已提交申请，等待提供部门审批', purposeRule: '用途至少 4 字',
      fieldsRequired: '至少选择一个字段', periodRequired: '请选择使用期限', basisRequired: '请选择法律依据',
      // connectors
      connectorName: '名称', connectorNamePh: '可不填，默认为“数据集 · 方式”', schedule: '调度', everyMinutes: '每 {n} 分钟', manual: '手动', lastRun: '最近运行',
      nextRunAt: '下次运行', newConnector: '新建连接器', allKinds: '全部方式', allDatasets: '全部数据集', datasetPh: '输入名称搜索数据集', inbound: '推送地址',
      secretSet: '已设置凭据', connectorCreated: '已创建连接器', runStarted: '已开始运行', enabledDone: '已启用', disabledDone: '已停用',
      scheduleMinutes: '运行间隔', scheduleHint: '分钟（留空则仅手动运行）', url: '地址', sqlUrlPh: 'mysql://user:password@127.0.0.1:3306/db（密码加密保存，不再显示）',
      table: '表或视图', tablePh: '列名与数据集字段名一致', watermark: '水位列', watermarkPh: '如 updated_at 或 id（增量拉取依据）',
      password: '密码', passwordPh: '可不填；填写则加密保存，不再显示', httpUrlPh: 'https://example.gov.cn/api/list', format: '格式',
      paging: '分页', pagingNone: '不分页', pagingPage: '按页码', pagingCursor: '按游标', pageParam: '页码参数', cursorParam: '游标参数', cursorField: '下一页游标字段',
      auth: '认证', authNone: '无', authApiKey: 'API Key', authHmac: 'HMAC 签名', apiKeyHeader: 'API Key 请求头', apiKey: 'API Key', hmacSecret: 'HMAC 密钥',
      secretPh: '加密保存，不再显示', mqttUrlPh: 'mqtt://127.0.0.1:1883', topic: '主题', topicPh: 'probes/+/sightings',
      webhookHint: '创建后将生成推送密钥（仅显示一次）。发送方以 HMAC-SHA256 对“时间戳.随机数.请求体”签名，请求头 X-Timestamp、X-Nonce、X-Signature。',
      secretTitle: 'Webhook 推送密钥：{name}', secretOnce: '请立即复制并妥善保存推送密钥，关闭后无法再次查看。', connectorKey: '连接器标识', webhookSecret: '签名密钥', inboundUrl: '推送地址',
      pushOnly: '推送方式，数据到达即导入',
      // approvals
      inbox: '待我审批', mine: '我的申请', all: '全部', allStatuses: '全部状态', consumer: '申请部门',
      approve: '批准', reject: '驳回', withdraw: '撤回', approveTitle: '批准使用申请', rejectTitle: '驳回使用申请', approveNote: '审批意见（可不填）', rejectNote: '驳回理由',
      rejectNoteRequired: '请填写驳回理由', approveFields: '批准的字段（可缩减）', approved: '已批准', rejected: '已驳回', withdrawConfirm: '撤回对「{name}」的申请？已批准的将提前结束。',
      withdrawn: '已撤回', live: '生效中', requestSummary: '{consumer} 申请使用 {provider} 的「{dataset}」',
      // exchange log
      at: '时间', kindLabel: '类型', outcomeLabel: '结果', actor: '操作人', rowCount: '行数', contentHash: '内容摘要', hash: '记录哈希',
      allOutcomes: '全部结果', from: '开始日期', to: '结束日期', verify: '校验日志', verifying: '校验中…', publicKey: '下载公钥',
      verifyOk: '已校验 {n} 条记录：哈希链与签名完整（密钥 {key}）', verifyBroken: '第 {id} 号记录有问题：{reason}（此前 {n} 条完好）',
      verifyReason: { link: '与上一条记录的哈希链接断开', content: '内容与哈希不符（记录被修改）', signature: '签名无法用中台公钥验证' },
    },
  },
  en: {
    menu: {
      brain: 'Red Brain', brainRegistry: 'Departments & systems', brainCatalogue: 'Data catalogue', brainDataset: 'Dataset', brainConnectors: 'Connectors',
      brainApprovals: 'Use approvals', brainExchangeLog: 'Exchange log',
    },
    brain: {
      shareType: { open: 'Shared openly', conditional: 'Shared on approval', none: 'Not shared' },
      cycle: { realtime: 'Real time', hourly: 'Hourly', daily: 'Daily', weekly: 'Weekly', monthly: 'Monthly', quarterly: 'Quarterly', yearly: 'Yearly', irregular: 'Irregular' },
      fieldType: { text: 'Text', int: 'Integer', number: 'Number', date: 'Date', timestamp: 'Time' },
      personal: { none: 'Not personal', personal: 'Personal', sensitive: 'Sensitive personal' },
      level: { city: 'City department', district: 'District department', street: 'Street', enterprise: 'Enterprise' },
      legalBasis: {
        consent: 'Consent of the person', contract_hr: 'Contract or HR management', legal_duty: 'Statutory duty or obligation', public_health: 'Public-health emergency',
        news: 'News reporting and public oversight', public_info: 'Information already made public', other_law: 'Other cases set by law',
      },
      legalItem: 'Art. 13 item {n}',
      freshness: { fresh: 'On time', stale: 'Overdue', never: 'Never synced' },
      connectorKind: { sql: 'Database (SQL)', http_pull: 'HTTP pull', webhook: 'HTTP push (webhook)', mqtt: 'MQTT subscription' },
      runKind: { file: 'File upload', sql: 'Database (SQL)', http_pull: 'HTTP pull', webhook: 'HTTP push', mqtt: 'MQTT' },
      runStatus: { queued: 'Queued', running: 'Running', succeeded: 'Succeeded', failed: 'Failed' },
      runMode: { incremental: 'Incremental', full: 'Full reconciliation' },
      stage: { starting: 'Starting', reading: 'Reading the file', importing: 'Importing', pulling: 'Pulling', reconciling: 'Reconciling deletions', connecting: 'Connecting', connected: 'Connected, receiving', offline: 'Disconnected, reconnecting', done: 'Done', retrying: 'Waiting to retry', failed: 'Failed' },
      approvalStatus: { pending: 'Pending', approved: 'Approved', rejected: 'Rejected', withdrawn: 'Withdrawn', expired: 'Expired' },
      exchangeKind: { run: 'Sync run', read: 'Data read', approval: 'Approval', inbound: 'Inbound push', retention: 'Retention deletion', reconcile: 'Full reconciliation' },
      outcome: { ok: 'OK', denied: 'Denied', failed: 'Failed', refused: 'Refused', approved: 'Approved', rejected: 'Rejected', expired: 'Expired', deleted: 'Deleted' },
      access: { provider: 'Provider', steward: 'Data administrator', open: 'Open share', approved: 'Approved use' },
      department: 'Department', system: 'System', dataset: 'Dataset', provider: 'Provider', code: 'Code', description: 'Description', createdAt: 'Registered',
      allDepartments: 'All departments', allSystems: 'All systems', allShareTypes: 'All share types', required: 'Required', back: 'Back to the catalogue',
      departments: 'Departments', searchDepartments: 'Department name / code', systems: 'Systems', datasets: 'Datasets', accounts: 'Accounts', levelLabel: 'Level',
      newDepartment: 'Register department', newSystem: 'Register system', pickDepartment: 'Pick a department on the left', systemsOf: 'Systems of {name}', noSystems: 'No systems registered yet',
      departmentName: 'Department name', departmentNamePh: 'e.g. Civil Affairs Bureau', departmentCode: 'Department code', codePh: 'Letter first, then letters, digits, _ (e.g. mzj)',
      systemName: 'System name', systemNamePh: 'e.g. Social assistance system', systemCode: 'System code (optional)', departmentCreated: 'Department registered', systemCreated: 'System registered',
      nameRule: 'Name: 2–{max} characters', codeRule: 'Letter first, then letters, digits, _',
      searchCatalogue: 'Dataset / department / system', shareTypeLabel: 'Share type', cycleLabel: 'Update cycle', rows: 'Rows', lastSync: 'Last sync', freshnessLabel: 'Freshness',
      newDataset: 'Register dataset', personalTag: 'Personal data', sensitiveTag: 'Sensitive data',
      datasetName: 'Dataset name', datasetNamePh: 'e.g. Elders living alone', fields: 'Fields', fieldName: 'Field name', fieldLabel: 'Label', fieldTypeLabel: 'Type',
      personalLevel: 'Personal data', key: 'Key', addField: 'Add field', removeField: 'Remove', fieldNamePh: 'e.g. idNumber', fieldsRule: 'At least one field, 1–3 key fields, no repeated names',
      legalBasisLabel: 'Legal basis', legalBasisPh: 'Required with personal data (PIPL art. 13)', purpose: 'Purpose', purposePh: 'Required with personal data',
      retentionDays: 'Retention', days: 'days', retentionPh: 'Required with sensitive data', timeField: 'Time field', timeFieldPh: 'Retention counts from this field (optional)',
      consumers: 'Departments that may use it', consumersPh: 'None by default (pick several)', datasetCreated: 'Dataset registered', systemPh: 'Pick a department, then a system',
      keyFields: 'Key', noDescription: 'None', rowsN: '{n} rows', fieldsTitle: 'Fields ({n})', consumersTitle: 'Departments that may use it', usersTitle: 'In use (live approvals)',
      noConsumers: 'Open to no department', noUsers: 'No live approvals', expiresAt: 'Until', sample: 'Sample (first 20 rows, masked)', sampleHidden: 'Only data administrators and the provider see sample rows',
      noRows: 'No rows yet', runs: 'Sync history', noRuns: 'No runs yet', run: 'Run', kind: 'Kind', file: 'File', status: 'Status', progress: 'Progress',
      countsText: 'In {rowsIn} · new {inserted} · updated {updated} · unchanged {unchanged} · rejected {rejected}', deletedText: ' · deleted {n}',
      startedAt: 'Started', finishedAt: 'Finished', rejects: 'Download rejected rows', connectors: 'Connectors', noConnectors: 'No connectors', runNow: 'Run now',
      upload: 'Upload data', requestUse: 'Request use', notConsumer: 'Your department is not among the departments that may use it', pendingRequest: 'A request is pending', refresh: 'Refresh', accessAs: 'Access as: {as}', enabled: 'Enabled', disabled: 'Disabled',
      uploadTitle: 'Upload data: {name}', uploadRule: 'CSV (UTF-8 or GB18030) or .xlsx (first sheet), column names in the first row. Rows are updated by key, so uploading again adds no rows; the column mapping is kept for next time.',
      pickFile: 'Drop a CSV or .xlsx file here or click to choose', fileRequired: 'Choose a file to upload', mapping: 'Columns to fields',
      skipColumn: 'Skip', unmapped: 'Fields without a column: {fields}', keyUnmapped: 'Key field {fields} has no column; nothing can be imported', previewRows: 'First {n} rows',
      rowNo: 'Row', check: 'Check', ok: 'OK', importBtn: 'Import', imported: 'Imported: {inserted} new, {updated} updated, {rejected} rejected',
      importFailed: 'Import failed: {error}', repick: 'Choose another file', previewOkN: '{ok} rows OK, {bad} with problems',
      requestTitle: 'Request use: {name}', requestPurpose: 'Purpose', requestPurposePh: 'What the data will be used for (at least 4 characters)', requestFields: 'Fields needed',
      period: 'Period', periodStart: 'From', periodEnd: 'To', requested: 'Request sent; the provider will decide', purposeRule: 'Purpose: at least 4 characters',
      fieldsRequired: 'Pick at least one field', periodRequired: 'Pick the period', basisRequired: 'Pick the legal basis',
      connectorName: 'Name', connectorNamePh: 'Optional; "dataset · kind" by default', schedule: 'Schedule', everyMinutes: 'Every {n} min', manual: 'Manual', lastRun: 'Last run',
      nextRunAt: 'Next run', newConnector: 'New connector', allKinds: 'All kinds', allDatasets: 'All datasets', datasetPh: 'Search datasets by name', inbound: 'Push URL',
      secretSet: 'Credentials set', connectorCreated: 'Connector created', runStarted: 'Run started', enabledDone: 'Enabled', disabledDone: 'Disabled',
      scheduleMinutes: 'Interval', scheduleHint: 'minutes (empty: run by hand only)', url: 'URL', sqlUrlPh: 'mysql://user:password@127.0.0.1:3306/db (the password is sealed, never shown)',
      table: 'Table or view', tablePh: 'Columns named as the dataset fields', watermark: 'Watermark column', watermarkPh: 'e.g. updated_at or id (for incremental pulls)',
      password: 'Password', passwordPh: 'Optional; sealed and never shown', httpUrlPh: 'https://example.gov.cn/api/list', format: 'Format',
      paging: 'Paging', pagingNone: 'None', pagingPage: 'Page number', pagingCursor: 'Cursor', pageParam: 'Page parameter', cursorParam: 'Cursor parameter', cursorField: 'Next-cursor field',
      auth: 'Authentication', authNone: 'None', authApiKey: 'API key', authHmac: 'HMAC signature', apiKeyHeader: 'API key header', apiKey: 'API key', hmacSecret: 'HMAC secret',
      secretPh: 'Sealed and never shown', mqttUrlPh: 'mqtt://127.0.0.1:1883', topic: 'Topic', topicPh: 'probes/+/sightings',
      webhookHint: 'A push secret is made on creation and shown once. The sender signs "timestamp.nonce.body" with HMAC-SHA256, headers X-Timestamp, X-Nonce, X-Signature.',
      secretTitle: 'Webhook secret: {name}', secretOnce: 'Copy the push secret now and keep it safe: it cannot be shown again.', connectorKey: 'Connector key', webhookSecret: 'Signing secret', inboundUrl: 'Push URL',
      pushOnly: 'Push: imported when data arrives',
      inbox: 'To decide', mine: 'My requests', all: 'All', allStatuses: 'All statuses', consumer: 'Requesting department',
      approve: 'Approve', reject: 'Reject', withdraw: 'Withdraw', approveTitle: 'Approve the request', rejectTitle: 'Reject the request', approveNote: 'Note (optional)', rejectNote: 'Reason',
      rejectNoteRequired: 'Give a reason', approveFields: 'Approved fields (may be fewer)', approved: 'Approved', rejected: 'Rejected', withdrawConfirm: 'Withdraw the request for "{name}"? An approved one ends now.',
      withdrawn: 'Withdrawn', live: 'Live', requestSummary: '{consumer} asks to use "{dataset}" of {provider}',
      at: 'Time', kindLabel: 'Kind', outcomeLabel: 'Outcome', actor: 'Actor', rowCount: 'Rows', contentHash: 'Content hash', hash: 'Record hash',
      allOutcomes: 'All outcomes', from: 'From', to: 'To', verify: 'Verify the log', verifying: 'Verifying…', publicKey: 'Download public key',
      verifyOk: '{n} records checked: chain and signatures intact (key {key})', verifyBroken: 'Record #{id} is bad: {reason} ({n} before it are intact)',
      verifyReason: { link: 'does not link to the previous record’s hash', content: 'content does not match its hash (edited)', signature: 'signature does not verify with the hub key' },
    },
  },
} satisfies Messages;

/** Fails the type check when the English and the Chinese keys differ. */
export type BrainMessagesPaired = Paired<typeof brainMessages>;

type Tag = 'primary' | 'success' | 'warning' | 'info' | 'danger';
/** Element Plus tag types per code. */
export const SHARE_TAG: Record<ShareType, Tag> = { open: 'success', conditional: 'warning', none: 'info' };
export const PERSONAL_TAG: Record<PersonalLevel, Tag> = { none: 'info', personal: 'warning', sensitive: 'danger' };
export const FRESHNESS_TAG: Record<CatalogueItem['freshness'], Tag> = { fresh: 'success', stale: 'warning', never: 'info' };
export const RUN_TAG: Record<RunStatus, Tag> = { queued: 'info', running: 'primary', succeeded: 'success', failed: 'danger' };
export const APPROVAL_TAG: Record<ApprovalStatus, Tag> = { pending: 'warning', approved: 'success', rejected: 'danger', withdrawn: 'info', expired: 'info' };
