import { createAppI18n } from '@shared/i18n';
import { h5 } from '@shared/i18n/h5';

export const i18n = createAppI18n(h5);
export const t = (key: string, params?: Record<string, unknown>) => i18n.global.t(key, params ?? {});
