import { useState } from 'react';

/** A file by drag and drop or the browser's picker. */
export function FileDrop({
  onFile,
  disabled,
}: {
  onFile: (file: File) => void;
  disabled: boolean;
}) {
  const [over, setOver] = useState(false);
  return (
    <div
      className={`transfer-drop${over ? ' over' : ''}`}
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(e) => {
        e.preventDefault();
        setOver(false);
        const file = e.dataTransfer.files[0];
        if (file && !disabled) onFile(file);
      }}
    >
      <p>Drop a .jsonl or .json file here (Magpie, ShareGPT, OpenAI messages or Alpaca), or</p>
      <label>
        Choose a file
        <input
          type="file"
          accept=".jsonl,.json,application/json,application/jsonl"
          disabled={disabled}
          onChange={(e) => {
            const file = e.target.files?.[0];
            e.target.value = '';
            if (file) onFile(file);
          }}
        />
      </label>
    </div>
  );
}
