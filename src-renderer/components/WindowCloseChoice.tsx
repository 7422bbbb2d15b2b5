import { useId } from 'react';

type Choice = 'auto' | 'tray' | 'quit';
const CHOICES: readonly { readonly value: Choice; readonly label: string }[] = [
  { value: 'auto', label: 'Keep running in the tray when the desktop shows one, otherwise quit' },
  { value: 'tray', label: 'Keep running in the tray' },
  { value: 'quit', label: 'Quit (other programs then cannot get credentials from The Maestro)' },
];

const toChoice = (closeToTray: boolean | null): Choice =>
  closeToTray === null ? 'auto' : closeToTray ? 'tray' : 'quit';
const fromChoice = (choice: Choice): boolean | null => (choice === 'auto' ? null : choice === 'tray');

/** "When the window is closed": the person's choice, or decided by whether the desktop shows a tray. */
export function WindowCloseChoice({
  closeToTray,
  onChange,
}: {
  readonly closeToTray: boolean | null;
  readonly onChange: (closeToTray: boolean | null) => void;
}) {
  const id = useId();
  const current = toChoice(closeToTray);
  return (
    <fieldset>
      <legend>When the window is closed</legend>
      {CHOICES.map((choice) => (
        <label key={choice.value} className="check">
          <input
            type="radio"
            name={`${id}-close`}
            value={choice.value}
            checked={current === choice.value}
            onChange={() => onChange(fromChoice(choice.value))}
          />
          {choice.label}
        </label>
      ))}
    </fieldset>
  );
}
