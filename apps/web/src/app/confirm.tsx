import { useEffect, useId, useRef, useState } from 'react';
import { useI18n } from '../i18n';

/**
 * A destructive action asked twice: the first press shows the question in place (with a reason box
 * where the API takes one), the second does it. Focus moves to the confirming button and back, so
 * a keyboard user never loses their place; nothing relies on a browser dialog.
 */
export function ConfirmButton({
  label,
  question,
  confirmLabel,
  onConfirm,
  pending,
  disabled,
  submit,
  reason,
  className = 'button-danger',
}: {
  label: string;
  question: string;
  confirmLabel: string;
  onConfirm(reason: string | null): void;
  pending?: boolean;
  /** Not possible yet, such as while a required field beside it is empty: neither press does anything. */
  disabled?: boolean;
  /**
   * The first button is its form's submit button, so Enter in a field of the form asks the question
   * as a press would (the form's onSubmit only has to prevent the default); the second never submits.
   */
  submit?: boolean;
  /**
   * Ask for a reason, for actions whose API takes one: optional to give (`true`), or required, with its
   * own label (`{ required: label }`): the confirming press waits for it.
   */
  reason?: boolean | { required: string };
  className?: string;
}) {
  const { t } = useI18n();
  const [asking, setAsking] = useState(false);
  const [why, setWhy] = useState('');
  const confirmRef = useRef<HTMLButtonElement>(null);
  const openerRef = useRef<HTMLButtonElement>(null);
  const id = useId();
  const required = typeof reason === 'object' ? reason.required : undefined;
  useEffect(() => {
    if (asking) (reason ? document.getElementById(`${id}-reason`) : confirmRef.current)?.focus();
  }, [asking, reason, id]);
  const close = () => {
    setAsking(false);
    setWhy('');
    // Back to where the person was, once the button is rendered again.
    setTimeout(() => openerRef.current?.focus(), 0);
  };
  if (!asking)
    return (
      <button
        ref={openerRef}
        type={submit ? 'submit' : 'button'}
        className={className}
        disabled={pending || disabled}
        onClick={() => setAsking(true)}
      >
        {label}
      </button>
    );
  return (
    <div
      className="confirm"
      role="group"
      aria-labelledby={`${id}-question`}
      data-testid="confirm"
      // Escape keeps it, as a browser dialog's would.
      onKeyDown={(e) => {
        if (e.key === 'Escape') close();
      }}
    >
      <p id={`${id}-question`}>{question}</p>
      {reason && (
        <label className="field">
          <span>{required ?? t('confirm.reason')}</span>
          <input
            id={`${id}-reason`}
            value={why}
            onChange={(e) => setWhy(e.target.value)}
            maxLength={500}
            required={required !== undefined}
          />
        </label>
      )}
      <div className="controls">
        <button
          ref={confirmRef}
          type="button"
          className="button-danger"
          disabled={pending || disabled || (required !== undefined && !why.trim())}
          onClick={() => {
            onConfirm(why.trim() || null);
            // Focus back on the button that asked (if the action left it there), not lost on the page.
            close();
          }}
        >
          {confirmLabel}
        </button>
        <button type="button" className="button-secondary" onClick={close}>
          {t('confirm.keep')}
        </button>
      </div>
    </div>
  );
}
