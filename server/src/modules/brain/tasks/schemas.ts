import { z } from 'zod';
import { pageOf } from '../../../core/paging.js';
import { instant, int } from '../../../core/response.js';
import { TASK_RESULTS, TASK_STATUSES } from './tables.js';

/** Request and response schemas of the verification-task routes (the contract of issue 11). */
export const taskStatus = z.enum(TASK_STATUSES);
export const taskResult = z.enum(TASK_RESULTS);
export const taskResultBody = z.object({ result: taskResult, note: z.string().trim().max(500).optional() }).strict();

export const verificationTask = z.object({
  id: int, jobId: int, status: taskStatus, result: taskResult.nullable().describe('confirmed 确认在此居住，not_resident 不在此居住，wrong_person 不是此人，other 其他'),
  note: z.string().nullable(), title: z.string().describe('要核实的事项'), sourceName: z.string().describe('来源名单（比对任务的左侧数据集）'),
  person: z.object({
    name: z.string().nullable().describe('脱敏姓名，如“张*”'), sex: z.enum(['M', 'F']).nullable(), birthYear: z.string().nullable(),
    idNumber: z.string().nullable().describe('脱敏身份证号'), phone: z.string().nullable().describe('脱敏手机号'), address: z.string().nullable().describe('人口库登记住址（上门地址）'),
  }),
  regionId: int, gridId: int.nullable(), dueAt: instant, overdue: z.boolean(), escalationLevel: int.describe('0 无，1 已升级至社区，2 已升级至街道'),
  escalatedAt: instant.nullable(), createdAt: instant, closedAt: instant.nullable(), closedBy: z.string().nullable(),
  photoId: int.nullable().describe('上门核查照片（/api/files/:id，看得到任务的人可看）'),
});

const counts = { assigned: int, done: int, confirmed: int, wrongPerson: int, wrongPersonRate: z.number().nullable().describe('已完成任务中“不是此人”的比例') };
export const taskStatsResponse = z.object({
  total: z.object(counts),
  streets: z.array(z.object({ regionId: int, name: z.string(), ...counts })),
  communities: z.array(z.object({ regionId: int, name: z.string(), streetId: int, ...counts })),
});

export const registrySyncResponse = z.object({ datasetId: int, rows: int, inserted: int, updated: int, unchanged: int, deleted: int, ms: int });

export const taskResponses = {
  created: { 201: z.object({ created: int, skipped: int }) },
  list: { 200: pageOf(verificationTask) },
  one: { 200: verificationTask },
  stats: { 200: taskStatsResponse },
  sync: { 200: registrySyncResponse },
};
