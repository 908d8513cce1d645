import Link from 'next/link';

export default function NotFound() {
  return (
    <main className="mx-auto max-w-md px-6 py-24 text-center">
      <h1 className="text-2xl font-semibold text-brand-900">Page not found</h1>
      <p className="mt-3 text-slate-600">
        This page does not exist, or you do not have access to it. If you expected to see an institution here, ask its
        administrator for an invitation.
      </p>
      <Link href="/" className="mt-6 inline-block font-medium text-brand-600 hover:underline">
        Back to your institutions
      </Link>
    </main>
  );
}
