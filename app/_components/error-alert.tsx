/** The one way the portal shows an error message: nothing when there is none. */
export function ErrorAlert({ message, className = '' }: { message: string | null | undefined; className?: string }) {
  if (!message) return null;
  return (
    <p role="alert" className={`rounded-md bg-red-50 px-3 py-2 text-sm text-red-800 ${className}`.trim()}>
      {message}
    </p>
  );
}
