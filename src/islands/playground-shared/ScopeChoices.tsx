import type { ReactNode } from 'react';
import { apiScopeNames } from '../../lib/api-profile.ts';

/** `selected` with `scope` ticked or not, in the API profile's order. */
export function withScope(selected: readonly string[], scope: string, checked: boolean): string[] {
  return checked
    ? apiScopeNames.filter((name) => name === scope || selected.includes(name))
    : selected.filter((name) => name !== scope);
}

/** A checkbox for each of the API profile's scopes (a registration's scopes, a token request's). */
export function ScopeChoices({
  legend,
  selected,
  onChange,
  disabled,
  children,
}: {
  legend: string;
  selected: readonly string[];
  onChange: (scopes: string[]) => void;
  disabled: boolean;
  /** Hints under the checkboxes. */
  children?: ReactNode;
}) {
  return (
    <fieldset>
      <legend>{legend}</legend>
      <div className="pg-choices">
        {apiScopeNames.map((scope) => (
          <label key={scope} className="pg-choice">
            <input
              type="checkbox"
              checked={selected.includes(scope)}
              onChange={(event) => onChange(withScope(selected, scope, event.target.checked))}
              disabled={disabled}
            />
            <code>{scope}</code>
          </label>
        ))}
      </div>
      {children}
    </fieldset>
  );
}
