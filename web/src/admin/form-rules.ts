import type { FormItemRule } from 'element-plus';
import { checkIdNumber, mobileProblem, type IdNumberCheck } from '@shared/id-number';
import { t } from './i18n';

/** The words for what is wrong with a typed ID number (null when it is valid). */
export function idNumberMessage(c: IdNumberCheck): string | null {
  if (c.ok) return null;
  switch (c.problem) {
    case 'length': return t('fieldError.idLength', { n: c.length });
    case 'chars': return t('fieldError.idChars');
    case 'date': return t('fieldError.idDate', { date: c.date });
    case 'check': return t('fieldError.idCheck', { c: c.expected });
  }
}

/** An optional ID-number field checked as typed (GB 11643 check digit included). */
export const idNumberRule = (required = false): FormItemRule => ({
  trigger: ['change', 'blur'],
  validator: (_rule, value: string, cb) => {
    const v = (value ?? '').trim();
    if (!v) return cb(required ? new Error(t('fieldError.idRequired')) : undefined);
    const msg = idNumberMessage(checkIdNumber(v));
    cb(msg ? new Error(msg) : undefined);
  },
});

/** An optional mainland mobile number: "手机号应为 11 位" rather than just the field's name. */
export const mobileRule = (): FormItemRule => ({
  trigger: 'blur',
  validator: (_rule, value: string, cb) => {
    const v = (value ?? '').trim();
    const p = v ? mobileProblem(v) : null;
    cb(p ? new Error(t(`fieldError.mobile.${p}`, { n: v.replace(/\s+/g, '').length })) : undefined);
  },
});
