import { extendMessages } from '@shared/i18n';
import { h5Property } from '@shared/i18n/h5-property';
import { i18n } from './i18n';

/** Imported by the position, room, booking, check-in and service-request pages: their words arrive with them. */
extendMessages(i18n, h5Property);
