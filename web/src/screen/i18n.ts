import { createAppI18n } from '@shared/i18n';
import { screen } from '@shared/i18n/screen';

export const i18n = createAppI18n(screen);
