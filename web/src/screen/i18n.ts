import { createAppI18n, extendMessages } from '@shared/i18n';
import { screen } from '@shared/i18n/screen';
import { wishCommon } from '@shared/i18n/wishes';

export const i18n = createAppI18n(screen);
extendMessages(i18n, wishCommon);
