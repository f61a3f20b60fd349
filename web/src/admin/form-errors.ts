import { reactive } from 'vue';
import { isApiError } from '@shared/api';
import { showError } from './notify';

/**
 * Server field errors on Element Plus form items: bind `:error="errors.name"`.
 * Nested names such as "roles.0" land on their first segment.
 */
export function useFieldErrors() {
  const errors = reactive<Record<string, string>>({});
  function clear() {
    for (const k of Object.keys(errors)) delete errors[k];
  }
  /** Puts the server's field messages on the form; `notify` also shows the overall message. */
  function apply(e: unknown, notify = true) {
    clear();
    if (isApiError(e)) {
      for (const [k, v] of Object.entries(e.fields)) {
        const key = k.split('.')[0];
        errors[key] = errors[key] ? `${errors[key]}; ${v}` : v;
      }
    }
    if (notify) showError(e);
  }
  return { errors, clear, apply };
}
