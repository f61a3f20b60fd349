import { extendMessages } from '@shared/i18n';
import { wishCommon } from '@shared/i18n/wishes';
import { adminWishes } from '@shared/i18n/admin-wishes';
import { i18n } from './i18n';

/** Imported by the wish pages: their words arrive with their chunk. */
extendMessages(i18n, wishCommon, adminWishes);
