import { Fragment, useId, type ReactNode, type Ref } from 'react';

/** One option of a `Choice`: its value, its words, and what belongs to it (a number field) after it. */
export type ChoiceOption<Value extends string> = readonly [value: Value, words: string, after?: ReactNode];

/**
 * A radio group named `name` (English, for tests) under a visible legend; `firstRef` is the first
 * option's input (for the focus a dialog puts there).
 */
export function Choice<Value extends string>(props: {
  name: string;
  legend: string;
  options: ReadonlyArray<ChoiceOption<Value>>;
  value: Value;
  onChange: (value: Value) => void;
  firstRef?: Ref<HTMLInputElement>;
}) {
  const id = useId();
  return (
    <fieldset role="radiogroup" aria-label={props.name}>
      <legend>{props.legend}</legend>
      {props.options.map(([value, words, after], index) => (
        <Fragment key={value}>
          <label className="radio">
            <input
              ref={index === 0 ? props.firstRef : undefined}
              type="radio"
              name={id}
              value={value}
              checked={props.value === value}
              onChange={() => props.onChange(value)}
            />
            {words}
          </label>
          {after}
        </Fragment>
      ))}
    </fieldset>
  );
}
