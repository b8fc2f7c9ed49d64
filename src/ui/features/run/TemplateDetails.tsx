import { useState, type ReactNode } from 'react';
import type { PromptTemplate } from '../../../shared/template';
import { familyById } from '../../../shared/templates/families';

interface Props {
  template: PromptTemplate | undefined;
  source: string | undefined;
  modelId: string;
  children: ReactNode;
}

/**
 * The template editor, folded behind a line that names the family in use and how it was
 * found. It opens by itself when the model's family is unknown: that choice cannot wait.
 */
export function TemplateDetails({ template, source, modelId, children }: Props) {
  const [open, setOpen] = useState(!template);
  // Once opened for a family choice it stays open: the user is working in it.
  if (!template && !open) setOpen(true);
  const family = !template
    ? undefined
    : template.family === 'custom'
      ? 'custom (edited)'
      : (familyById(template.family)?.label ?? template.family);
  return (
    <details className="more" open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>
        Prompt template:{' '}
        {family ? (
          <>
            <strong>{family}</strong>
            {source && <span className="muted"> · {source}</span>}
          </>
        ) : (
          <strong>pick a family for {modelId}</strong>
        )}
      </summary>
      {children}
    </details>
  );
}
