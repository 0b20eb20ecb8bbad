import { useEffect, useState } from 'react';

/** A button that copies `text` to the clipboard and says so in a live region. */
export function CopyButton({
  text,
  label,
  disabled = false,
}: {
  /** The text, or a function that makes it when the button is pressed. */
  text: string | (() => Promise<string>);
  label: string;
  disabled?: boolean;
}) {
  const [message, setMessage] = useState('');
  useEffect(() => {
    if (!message) return;
    const timer = setTimeout(() => setMessage(''), 2500);
    return () => clearTimeout(timer);
  }, [message]);

  async function copy() {
    try {
      await navigator.clipboard.writeText(typeof text === 'string' ? text : await text());
      setMessage('Copied.');
    } catch {
      setMessage('The browser did not allow copying: select the text and copy it.');
    }
  }

  return (
    <span className="pg-copy">
      <button
        type="button"
        className="pg-button pg-button--small"
        onClick={() => void copy()}
        disabled={disabled}
      >
        {label}
      </button>
      <span role="status" className="pg-copy__message">
        {message}
      </span>
    </span>
  );
}
