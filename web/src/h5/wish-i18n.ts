import { extendMessages } from '@shared/i18n';
import { wishCommon } from '@shared/i18n/wishes';
import { h5Wishes } from '@shared/i18n/h5-wishes';
import { i18n } from './i18n';

/** Imported by the wish pages: their words arrive with them, not with the first download. */
extendMessages(i18n, wishCommon, h5Wishes);
