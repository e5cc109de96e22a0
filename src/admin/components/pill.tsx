import React from 'react';

export interface PillProps {
  background: string;
  color: string;
  children: React.ReactNode;
  title?: string;
  /** Extra attributes (data-testid ...) for tests and styling. */
  data?: Record<string, string>;
}

/** A rounded badge with the given colours; its text is rendered as text, never as HTML. */
export function Pill({ background, color, children, title, data = {} }: PillProps) {
  const attributes = Object.fromEntries(Object.entries(data).map(([key, value]) => [`data-${key}`, value]));
  return (
    <span
      {...attributes}
      title={title}
      style={{ background, color, borderRadius: 999, padding: '2px 10px', fontSize: 12, fontWeight: 600, whiteSpace: 'nowrap', display: 'inline-block', lineHeight: '18px' }}
    >
      {children}
    </span>
  );
}
