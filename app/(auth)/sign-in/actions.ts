'use server';
import { AuthError, CredentialsSignin } from 'next-auth';
import { signIn } from '../../../server/auth';

export interface SignInState {
  error: string | null;
}

export async function signInWithPassword(_previous: SignInState, form: FormData): Promise<SignInState> {
  const email = String(form.get('email') ?? '');
  const password = String(form.get('password') ?? '');
  const callbackUrl = String(form.get('callbackUrl') ?? '/');
  if (!email || !password) return { error: 'Enter your e-mail address and password.' };
  try {
    await signIn('credentials', { email, password, redirectTo: callbackUrl.startsWith('/') ? callbackUrl : '/' });
    return { error: null };
  } catch (error) {
    if (error instanceof CredentialsSignin) {
      return {
        error:
          error.code === 'throttled'
            ? 'Too many failed attempts for this account. Wait 15 minutes, then try again.'
            : 'The e-mail address or password is not correct.',
      };
    }
    if (error instanceof AuthError) return { error: 'Sign-in failed. Please try again.' };
    throw error; // the success redirect travels as an exception
  }
}

export async function signInWithSso(): Promise<void> {
  await signIn('oidc', { redirectTo: '/' });
}
