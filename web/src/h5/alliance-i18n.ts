import { extendMessages } from '@shared/i18n';
import { allianceMessages } from '@shared/i18n/alliance';
import { i18n } from './i18n';

/** Imported by the alliance, project and station pages: their words arrive with them. */
extendMessages(i18n, allianceMessages);
