import type { NextConfig } from 'next';

const config: NextConfig = {
  // PGlite loads its WebAssembly and data files relative to its own module, and pg has optional
  // native bindings: both must stay plain node_modules requires, not bundled copies.
  serverExternalPackages: ['@electric-sql/pglite', 'pg'],
  poweredByHeader: false,
};

export default config;
