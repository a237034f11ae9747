import type { Metadata } from 'next';
import type { ReactNode } from 'react';

export const metadata: Metadata = {
  title: 'flaglens control plane',
  description: 'Flags for shipping AI models as controlled experiments: roles, audit trail, kill switch.',
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body style={{ fontFamily: 'system-ui, sans-serif', margin: '2rem auto', maxWidth: '48rem', lineHeight: 1.5 }}>{children}</body>
    </html>
  );
}
