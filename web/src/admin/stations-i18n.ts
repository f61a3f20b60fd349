import type { Messages, Paired } from '@shared/i18n';
import type { StationService } from '@shared/types';

/**
 * Console words for the convenience stations (锋小巢 / 歇歇脚): the list, the form, close and reopen,
 * import and export, the check-in statistics. Merged into the console's messages in ./i18n.ts (the
 * menu needs them before the page loads). Every code a person sees is named here.
 */

/** The services a station may offer, in the server's order (alliance/stations-tables.ts). */
export const STATION_SERVICE_CODES = ['rest', 'water', 'charging', 'restroom', 'express', 'housekeeping', 'entrepreneurship', 'express_agency'] as const satisfies readonly StationService[];
/** Fails the type check when the server's dictionary gains a code this list lacks. */
export const serviceListComplete: Exclude<StationService, (typeof STATION_SERVICE_CODES)[number]> extends never ? true : never = true;

export const stationMessages = {
  'zh-CN': {
    menu: { stations: '便民服务站' },
    station: {
      kind: { fengxiaochao: '锋小巢', xiexiejiao: '歇歇脚' },
      status: { open: '开放', closed: '已关闭' },
      service: {
        rest: '休息', water: '饮水', charging: '手机充电', restroom: '卫生间', express: '快递收取', housekeeping: '家政预约',
        entrepreneurship: '创新创业', express_agency: '快递代办',
      },
      columns: {
        id: '编号', name: '名称', kind: '类型', community: '所在社区', address: '地址', lat: '纬度', lng: '经度', openingHours: '开放时间',
        services: '服务项目', ownerUnit: '所属联盟单位', contactName: '联系人', contactPhone: '联系电话', description: '简介', file: '文件',
      },
      searchPh: '名称 / 地址', allKinds: '全部类型', allStatuses: '全部状态', allServices: '全部服务', area: '街道 / 社区', period: '到站统计期',
      from: '开始日期', to: '结束日期', name: '名称', kindLabel: '类型', community: '所在社区', address: '地址', hours: '开放时间', services: '服务项目',
      contact: '联系人', checkins: '到站人次', checkinsText: '期内 {n} · 累计 {total}', statusLabel: '状态', closedSince: '{at} 关闭：{reason}',
      create: '新建服务站', edit: '编辑服务站', close: '关闭', reopen: '重新开放', closeReason: '关闭原因（居民端将不再显示该站点）', closeTitle: '关闭「{name}」',
      closed: '已关闭', reopenConfirm: '重新开放「{name}」？开放后居民端地图将重新显示该站点。', reopened: '已重新开放',
      import: '导入', export: '导出', exported: '已导出 {name}',
      form: {
        name: '名称', namePh: '如：锋小巢·鹿鸣1号', kind: '类型', community: '所在社区', address: '地址', lat: '纬度', lng: '经度', coords: '坐标（纬度 / 经度）',
        hours: '开放时间', hoursPh: '如：08:00—20:00、全天', services: '服务项目', ownerUnit: '所属联盟单位', ownerUnitPh: '输入单位名称搜索（可不填）',
        contactName: '联系人', contactPhone: '联系电话', contactPhonePh: '手机号或座机（如 0515-88881234）', description: '简介',
        nameRule: '名称须 2–60 字', required: '必填', servicesRequired: '至少选择一项服务',
      },
      importDialog: {
        title: '导入便民服务站', rule: '整表导入：任一行有误则全部不导入，并逐行列出错误。编号为空新建、填写编号则修改该站；导出的表格可直接修改后导回。',
        imported: '已新建 {created} 个、修改 {updated} 个服务站',
      },
      stats: {
        title: '到站统计', byStation: '按站点', byCommunity: '按社区', months: '统计月份', startMonth: '开始月份', endMonth: '结束月份', total: '合计',
        stations: '站点数', openStations: '开放中', sum: '全部合计', export: '导出统计',
      },
    },
  },
  en: {
    menu: { stations: 'Service stations' },
    station: {
      kind: { fengxiaochao: 'Party outpost', xiexiejiao: 'Rest stop' },
      status: { open: 'Open', closed: 'Closed' },
      service: {
        rest: 'Rest', water: 'Water', charging: 'Phone charging', restroom: 'Restroom', express: 'Parcel pick-up', housekeeping: 'Housekeeping',
        entrepreneurship: 'Start-up support', express_agency: 'Parcel agent',
      },
      columns: {
        id: 'No.', name: 'Name', kind: 'Kind', community: 'Community', address: 'Address', lat: 'Latitude', lng: 'Longitude', openingHours: 'Hours',
        services: 'Services', ownerUnit: 'Alliance unit', contactName: 'Contact', contactPhone: 'Phone', description: 'Description', file: 'File',
      },
      searchPh: 'Name / address', allKinds: 'All kinds', allStatuses: 'All statuses', allServices: 'All services', area: 'Street / community', period: 'Check-in period',
      from: 'From', to: 'To', name: 'Name', kindLabel: 'Kind', community: 'Community', address: 'Address', hours: 'Hours', services: 'Services',
      contact: 'Contact', checkins: 'Check-ins', checkinsText: '{n} in period · {total} in all', statusLabel: 'Status', closedSince: 'Closed {at}: {reason}',
      create: 'New station', edit: 'Edit station', close: 'Close', reopen: 'Reopen', closeReason: 'Reason (residents will no longer see the station)', closeTitle: 'Close "{name}"',
      closed: 'Closed', reopenConfirm: 'Reopen "{name}"? Residents will see it on the map again.', reopened: 'Reopened',
      import: 'Import', export: 'Export', exported: 'Exported {name}',
      form: {
        name: 'Name', namePh: 'e.g. Party outpost · Luming 1', kind: 'Kind', community: 'Community', address: 'Address', lat: 'Latitude', lng: 'Longitude', coords: 'Position (lat / lng)',
        hours: 'Hours', hoursPh: 'e.g. 08:00—20:00, all day', services: 'Services', ownerUnit: 'Alliance unit', ownerUnitPh: 'Search units by name (optional)',
        contactName: 'Contact', contactPhone: 'Phone', contactPhonePh: 'Mobile or landline (e.g. 0515-88881234)', description: 'Description',
        nameRule: 'Name: 2–60 characters', required: 'Required', servicesRequired: 'Pick at least one service',
      },
      importDialog: {
        title: 'Import service stations', rule: 'All or nothing: one bad row rejects the sheet, with a row-by-row report. A row without a number creates a station; with one, it edits that station. An exported sheet can be edited and imported back.',
        imported: '{created} stations created, {updated} updated',
      },
      stats: {
        title: 'Check-in statistics', byStation: 'By station', byCommunity: 'By community', months: 'Months', startMonth: 'From month', endMonth: 'To month', total: 'Total',
        stations: 'Stations', openStations: 'Open', sum: 'All', export: 'Export statistics',
      },
    },
  },
} satisfies Messages;

/** Fails the type check when the English and the Chinese keys differ. */
export type StationMessagesPaired = Paired<typeof stationMessages>;
