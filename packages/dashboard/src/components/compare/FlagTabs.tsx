import Link from 'next/link';

/** The flag's two views: its settings and its variants compared. */
export function FlagTabs({ flag, current }: { flag: string; current: 'settings' | 'compare' }) {
  const base = `/flags/${encodeURIComponent(flag)}`;
  const tab = (href: string, label: string, active: boolean) => (
    <Link href={href} aria-current={active ? 'page' : undefined} style={{ fontWeight: active ? 700 : 400 }}>
      {label}
    </Link>
  );
  return (
    <nav aria-label={`${flag} views`} className="row" style={{ gap: '1.25rem', margin: '0 0 1rem', alignItems: 'baseline' }}>
      {tab(base, 'Settings', current === 'settings')}
      {tab(`${base}/compare`, 'Compare variants', current === 'compare')}
    </nav>
  );
}
