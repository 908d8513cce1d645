import { signOut } from '../../server/auth';

export function SignOutButton() {
  return (
    <form
      action={async () => {
        'use server';
        await signOut({ redirectTo: '/sign-in' });
      }}
    >
      <button type="submit" className="text-sm text-slate-600 hover:text-slate-900">
        Sign out
      </button>
    </form>
  );
}
