/**
 * A model's text as markdown (code blocks, lists, tables) that can never act: HTML the
 * model wrote is shown as text (a curator should see it, not run it), images become their
 * alt text and address (loading them would send requests to any host the text names),
 * and DOMPurify cleans the result anyway (e.g. javascript: links).
 */
import DOMPurify from 'dompurify';
import { Marked } from 'marked';
import { useMemo } from 'react';

const escape = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const marked = new Marked({
  gfm: true,
  async: false,
  renderer: {
    html: ({ text }) => escape(text),
    image: ({ href, text }) =>
      `<span class="md-image">[image: ${escape(text)}] ${escape(href)}</span>`,
  },
});

DOMPurify.addHook('afterSanitizeAttributes', (node) => {
  if (node.tagName === 'A') {
    node.setAttribute('target', '_blank');
    node.setAttribute('rel', 'noopener noreferrer nofollow');
  }
});

export function renderMarkdown(text: string): string {
  const html = marked.parse(text) as string;
  return DOMPurify.sanitize(html, { FORBID_TAGS: ['img', 'style', 'form', 'input'] });
}

export function Markdown({ text, label }: { text: string; label?: string }) {
  const html = useMemo(() => renderMarkdown(text), [text]);
  // Sanitised above; the only HTML the page injects from generated text.
  return <div className="markdown" aria-label={label} dangerouslySetInnerHTML={{ __html: html }} />;
}
