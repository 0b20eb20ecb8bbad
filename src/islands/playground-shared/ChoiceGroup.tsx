import type { ReactNode } from 'react';

/**
 * One choice among a few, as radio buttons in a fieldset with a legend (the playground's auth
 * method, request method and key type). Arrow keys move between the options, as the browser
 * does for radio buttons of one name.
 */
export function ChoiceGroup<T extends string>({
  legend,
  name,
  options,
  value,
  onChange,
  disabled,
  label,
  children,
}: {
  legend: string;
  /** The radio group's name: unique on the page (an island's useId()). */
  name: string;
  options: readonly T[];
  value: T;
  onChange: (option: T) => void;
  disabled: boolean;
  /** What an option shows beside its radio button. */
  label: (option: T) => ReactNode;
  /** Hints under the options. */
  children?: ReactNode;
}) {
  return (
    <fieldset>
      <legend>{legend}</legend>
      <div className="pg-choices">
        {options.map((option) => (
          <label key={option} className="pg-choice">
            <input
              type="radio"
              name={name}
              value={option}
              checked={value === option}
              onChange={() => onChange(option)}
              disabled={disabled}
            />
            {label(option)}
          </label>
        ))}
      </div>
      {children}
    </fieldset>
  );
}
