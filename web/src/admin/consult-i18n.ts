import { extendMessages } from '@shared/i18n';
import { consultCommon } from '@shared/i18n/consult';
import { adminConsult } from '@shared/i18n/admin-consult';
import { i18n } from './i18n';

/** Imported by the consultation, vote, owner-register and elevator pages: their words arrive with their chunk. */
extendMessages(i18n, consultCommon, adminConsult);
