import type { NextConfig } from 'next';

const config: NextConfig = {
  // PGlite loads its WebAssembly and data files relative to its own module, and pg has optional
  // native bindings: both must stay plain node_modules requires, not bundled copies.
  serverExternalPackages: ['@electric-sql/pglite', 'pg'],
  poweredByHeader: false,
  // Lets several checkouts' builds and `next start`s share one package folder without clobbering each other.
  distDir: process.env.FLAGLENS_NEXT_DIST_DIR || '.next',
};

export default config;
