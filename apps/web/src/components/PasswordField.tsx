import { useI18n } from '../store/context.js';

/** The password field of the sign-in form and of the Locked dialog (named "Password" in every language). */
export function PasswordField(props: {
  id: string;
  value: string;
  disabled: boolean;
  autoFocus?: boolean;
  onChange: (value: string) => void;
}) {
  const { t } = useI18n();
  return (
    <div className="field">
      <label htmlFor={props.id}>{t('signin.password')}</label>
      <input
        id={props.id}
        aria-label="Password"
        type="password"
        value={props.value}
        autoComplete="current-password"
        autoFocus={props.autoFocus}
        disabled={props.disabled}
        onChange={(event) => props.onChange(event.target.value)}
      />
    </div>
  );
}
