import { createAppI18n, extendMessages } from '@shared/i18n';
import { admin } from '@shared/i18n/admin';
import { propertyMessages } from './property-i18n';
import { stationMessages } from './stations-i18n';
import { practicalCodes } from '@shared/i18n/practical';
import { practicalMessages } from './practical-i18n';
import { compoundMessages } from './compound-i18n';
import { brainMessages } from './brain-i18n';
import { partyMessages } from './party-i18n';

export const i18n = createAppI18n(admin);
extendMessages(i18n, propertyMessages);
extendMessages(i18n, stationMessages);
extendMessages(i18n, practicalCodes, practicalMessages);
extendMessages(i18n, compoundMessages);
extendMessages(i18n, brainMessages);
extendMessages(i18n, partyMessages);
export const t = (key: string, params?: Record<string, unknown>) => i18n.global.t(key, params ?? {});
