import { createAppI18n } from '@shared/i18n';
import { admin } from '@shared/i18n/admin';

export const i18n = createAppI18n(admin);
export const t = (key: string, params?: Record<string, unknown>) => i18n.global.t(key, params ?? {});
