import { extendMessages } from '@shared/i18n';
import { h5Tasks } from '@shared/i18n/h5-tasks';
import { i18n } from './i18n';

/** Imported by the verification-task pages: their words arrive with them. */
extendMessages(i18n, h5Tasks);
