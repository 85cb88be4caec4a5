import type { RefObject } from 'react';

/**
 * A search field above the list ("Search mail", "Filter"): Esc clears it (or, when empty, goes to the
 * list); Enter or ↓ goes to the list.
 */
export function ListField({
  inputRef,
  label,
  placeholder,
  shortcut,
  value,
  onChange,
  listRef,
}: {
  inputRef: RefObject<HTMLInputElement | null>;
  /** The accessible name (English in every language). */
  label: string;
  placeholder: string;
  shortcut?: string;
  value: string;
  onChange: (value: string) => void;
  listRef: RefObject<HTMLDivElement | null>;
}) {
  return (
    <input
      ref={inputRef}
      type="search"
      className="filter"
      aria-label={label}
      placeholder={placeholder}
      aria-keyshortcuts={shortcut}
      value={value}
      onChange={(event) => onChange(event.target.value)}
      onKeyDown={(event) => {
        if (event.key === 'Escape') {
          if (value) onChange('');
          else listRef.current?.focus();
        } else if (event.key === 'Enter' || event.key === 'ArrowDown') {
          event.preventDefault();
          listRef.current?.focus();
        }
      }}
    />
  );
}
