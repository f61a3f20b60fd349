import { z } from 'zod';
import { pageOf } from '../../core/paging.js';
import { day, instant, int, ok } from '../../core/response.js';
import { region } from '../regions/schemas.js';

/** Response schemas of the people, accounts, sign-in and notification routes (see core/response.ts). */

const sex = z.enum(['M', 'F']);

/** presentPerson: ID number and phone masked unless revealed (`masked` says which). */
export const person = z.object({
  id: int, name: z.string(), sex, birthDate: day.nullable(), idNumber: z.string().nullable(), phone: z.string().nullable(), masked: z.boolean(),
  householdId: int.nullable(), isHouseholder: z.boolean(), regionId: int, address: z.string(),
});

/** Household members in the caller's scope: no ID number, no phone. */
export const householdMember = z.object({ id: int, name: z.string(), sex, birthDate: day.nullable(), isHouseholder: z.boolean() });

export const personDetail = person.extend({ household: z.array(householdMember) });

export const myHousehold = z.object({ householdId: int.nullable(), address: z.string(), members: z.array(person) });

export const roleRef = z.object({ code: z.string(), nameZh: z.string(), nameEn: z.string() });
export const role = roleRef.extend({ permissions: z.array(z.string()) });

/** presentAccount: the phone masked; never the password hash or failed-login counters. */
export const account = z.object({
  id: int, username: z.string(), displayName: z.string(), phone: z.string().nullable(), personId: int.nullable(), organisationId: int.nullable(),
  scopeRegionId: int.nullable(), scopeName: z.string().nullable(), active: z.boolean(), locked: z.boolean(), lastLoginAt: instant.nullable(), roles: z.array(z.string()),
});

/** describeAccount: what /api/auth/me answers. */
export const me = z.object({
  account: z.object({ id: int, username: z.string(), displayName: z.string(), phone: z.string().nullable() }),
  person: z.object({
    id: int, name: z.string(), sex, householdId: int.nullable(), address: z.string().nullable(),
    community: z.object({ id: int, name: z.string() }).nullable(),
  }).nullable(),
  organisation: z.object({ id: int, name: z.string(), kind: z.string() }).nullable(),
  allianceUnit: z.object({ id: int, name: z.string(), status: z.enum(['pending', 'verified', 'rejected']), isCommitteeUnit: z.boolean() }).nullable(),
  roles: z.array(roleRef),
  permissions: z.array(z.string()),
  scope: region.nullable(),
});

export const loginResult = me.extend({ token: z.string(), csrfToken: z.string(), expiresAt: z.iso.datetime() });

/** A right password of an account that must confirm by SMS: no session yet, a challenge for POST /api/auth/sms/verify. */
export const secondFactorChallenge = z.object({
  secondFactor: z.object({
    challenge: z.string().describe('随验证码提交到 /api/auth/sms/verify'), method: z.literal('sms'),
    phone: z.string().describe('已发送验证码的手机号（脱敏）'), expiresAt: z.iso.datetime(),
    devCode: z.string().regex(/^\d{6}$/).optional().describe('仅非生产环境'),
  }),
});

export const signInPolicy = z.object({
  staffSms: z.boolean().describe('区级、街道账号密码登录后须短信验证'), roles: z.array(z.string()).describe('受此设置约束的角色'), updatedAt: instant.nullable(),
});

export const notification = z.object({
  id: int, kind: z.string(), title: z.string(), body: z.string(), wishId: int.nullable(), readAt: instant.nullable(), createdAt: instant,
});

export const peopleResponses = {
  list: { 200: pageOf(person) },
  detail: { 200: personDetail },
  created: { 201: person },
  updated: { 200: person },
  myHousehold: { 200: z.object({ household: myHousehold.nullable() }) },
};

export const accountResponses = {
  roles: { 200: z.object({ items: z.array(role), permissions: z.record(z.string(), z.string()) }) },
  list: { 200: pageOf(account) },
  created: { 201: account },
  updated: { 200: account },
  ok: { 200: ok },
};

export const authResponses = {
  login: { 200: loginResult },
  loginOrChallenge: { 200: z.union([loginResult, secondFactorChallenge]) },
  methods: { 200: z.object({ password: z.literal(true), sms: z.literal(true), wechat: z.boolean().describe('已配置微信网页授权（在微信内可用）') }) },
  policy: { 200: signInPolicy },
  redirect: { 302: z.null().describe('跳转（Location 头）') },
  smsSent: { 200: z.object({ sent: z.literal(true), expiresAt: z.iso.datetime(), resendAfter: int, devCode: z.string().regex(/^\d{6}$/).optional() }) },
  ok: { 200: ok },
  me: { 200: me },
  csrf: { 200: z.object({ csrfToken: z.string() }) },
};

export const notificationResponses = {
  list: { 200: pageOf(notification).extend({ unread: int }) },
  ok: { 200: ok },
  bindCode: { 200: z.object({ code: z.string().regex(/^\d{6}$/), expiresAt: z.iso.datetime() }) },
};
