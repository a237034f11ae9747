'use client';

import Link from 'next/link';
import { useEffect, useState } from 'react';
import styles from './compare.module.css';

/**
 * What to do when a flag has no traffic in the window: the one-line instrumentation, pointed at this
 * control plane, and where an SDK key comes from.
 */
export function EmptyState({ flag, windowLabel, canCreateSdkKeys }: { flag: string; windowLabel: string; canCreateSdkKeys: boolean }) {
  // The address people reach this page at is the one their services should push to.
  const [origin, setOrigin] = useState('https://flaglens.example.com');
  useEffect(() => setOrigin(window.location.origin), []);
  return (
    <section className={styles.empty} aria-labelledby="empty-title">
      <h2 id="empty-title" style={{ marginTop: 0 }}>
        No traffic for {flag} in the last {windowLabel}
      </h2>
      <p>Start the service that evaluates this flag with the flaglens instrumentation, pointed at this control plane:</p>
      <pre>
        <code>
          {`npm install @flaglens/instrumentation\nFLAGLENS_URL=${origin} FLAGLENS_SDK_KEY=<your SDK key> \\\n  node --import @flaglens/instrumentation/register app.js`}
        </code>
      </pre>
      <p>
        Call your models through <code>{`routeInference({ flag: '${flag}', models: { … } })`}</code> so each request's latency, errors and
        predictions are recorded for its variant; <code>recordOutcome</code> adds accuracy and precision, recall and F1 per class (per
        region or plan too, with <code>FLAGLENS_SLICE_LABELS=region,plan</code>), and <code>trackBusinessEvent</code> business events.
        Metrics are pushed every 15 seconds, and this page refreshes by itself.
      </p>
      <p>
        <strong>SDK key:</strong>{' '}
        {canCreateSdkKeys ? (
          <>
            create one under <Link href="/tokens">Tokens &amp; SDK keys</Link> (kind “SDK key”); it is shown once.
          </>
        ) : (
          <>ask an admin to create one under Tokens &amp; SDK keys.</>
        )}
      </p>
    </section>
  );
}
