import { reactive, ref, watch, type Ref } from 'vue';
import type { FormInstance } from 'element-plus';
import { useFieldErrors } from './form-errors';

export interface FormDialogOptions {
  /** Runs each time the dialog opens, after the form is reset (load options, clear a search). */
  opened?: () => void;
  /** API field names shown on a differently named form item: `{ beneficiaryPersonId: 'personId' }`. */
  fieldAliases?: Record<string, string>;
}

/**
 * What every console form dialog shares: the form model, reset from the edited row or
 * defaults each time the dialog opens; the Element Plus form ref; the saving flag; and the
 * API's field errors (`{"error":{"fields":{…}}}`) on the form items. Bind `ref="formRef"`
 * on `<el-form>` and `:error="errors.name"` on its items.
 */
export function useFormDialog<F extends object>(visible: Ref<boolean>, initial: () => F, opts: FormDialogOptions = {}) {
  const form = reactive(initial()) as F;
  const formRef = ref<FormInstance>();
  const saving = ref(false);
  const { errors, clear, apply } = useFieldErrors();

  function reset() {
    clear();
    formRef.value?.clearValidate();
    Object.assign(form, initial());
  }
  watch(visible, (open) => {
    if (!open) return;
    reset();
    opts.opened?.();
  });

  function close() {
    visible.value = false;
  }

  /**
   * Checks the form's rules (when it has an `<el-form ref="formRef">`), then runs `save` with
   * `saving` on and the old errors cleared. `save` sends the request and closes the dialog; it
   * may set `errors` and return early for a check the rules cannot express. A failed request
   * puts the server's field messages on the form and shows its overall message.
   */
  async function submit(save: () => Promise<void>) {
    if (formRef.value && !(await formRef.value.validate().catch(() => false))) return;
    clear();
    saving.value = true;
    try {
      await save();
    } catch (e) {
      apply(e);
      for (const [from, to] of Object.entries(opts.fieldAliases ?? {})) if (errors[from]) errors[to] = errors[from];
    } finally {
      saving.value = false;
    }
  }

  return { form, formRef, saving, errors, reset, close, submit };
}
