import { extendMessages } from '@shared/i18n';
import { consultCommon } from '@shared/i18n/consult';
import { h5Consult } from '@shared/i18n/h5-consult';
import { i18n } from './i18n';

/** Imported by the consultation, vote and elevator pages: their words arrive with them. */
extendMessages(i18n, consultCommon, h5Consult);
