import { isApiError } from './client.ts';

export interface ErrorDescription {
  /** What happened. */
  title: string;
  /** What the user can do about it. */
  hint: string;
}

/** Capitalizes a server message and ends it with a full stop. */
export function sentence(text: string): string {
  const trimmed = text.trim();
  if (!trimmed) return trimmed;
  const sentence = trimmed[0]!.toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(sentence) ? sentence : `${sentence}.`;
}

/** Turns any thrown value into a sentence saying what happened and one saying what to do next. */
export function describeError(error: unknown, action = 'do this'): ErrorDescription {
  if (!isApiError(error)) {
    return {
      title: `Could not ${action}: something went wrong in this page.`,
      hint: 'Reload the page and try again.',
    };
  }
  const message = sentence(error.message);
  switch (error.code) {
    case 'network':
      return {
        title: `Could not ${action}: the Vulnbridge server could not be reached.`,
        hint: 'Check your network connection and that the server is running, then try again.',
      };
    case 'unauthenticated':
      return {
        title: 'Your session has ended.',
        hint: 'Sign in again to continue.',
      };
    case 'invalid_credentials':
      return {
        title: 'The email or password is not correct.',
        hint: 'Check both and try again; passwords are case-sensitive.',
      };
    case 'forbidden':
      return {
        title: `Your role does not allow you to ${action}.`,
        hint: 'Ask an Owner or Administrator of your organization to do it, or to change your role.',
      };
    case 'csrf_failed':
      return {
        title: `Could not ${action}: the page's security token is out of date.`,
        hint: 'Reload the page and try again.',
      };
    case 'not_found':
      return {
        title: `Could not ${action}: it no longer exists.`,
        hint: 'Someone may have deleted it. Reload the page to see the current list.',
      };
    case 'too_many_attempts':
      return {
        title: 'Too many attempts in a short time.',
        hint:
          error.retryAfter !== null
            ? `Wait ${formatWait(error.retryAfter)} and try again.`
            : 'Wait a few minutes and try again.',
      };
    case 'invalid_request':
      return {
        title: message || `Could not ${action}: some values were not accepted.`,
        hint: 'Correct the values and try again.',
      };
    case 'conflict':
      return { title: message || `Could not ${action}: it already exists.`, hint: 'Use a different value.' };
    case 'payload_too_large':
      return {
        title: `Could not ${action}: what was sent is larger than the server accepts.`,
        hint: 'Send less at once, or ask your administrator to raise the limit.',
      };
    case 'unexpected_response':
      return {
        title: `Could not ${action}: the server sent an answer this page does not understand.`,
        hint: 'Reload the page; if it keeps happening, the web app and server versions may differ.',
      };
    default:
      if (error.status >= 500) {
        return {
          title: `Could not ${action}: the server hit an unexpected error.`,
          hint: 'Try again in a moment; if it keeps happening, check the server logs.',
        };
      }
      return { title: message || `Could not ${action}.`, hint: 'Check the values and try again.' };
  }
}

export function formatWait(seconds: number): string {
  if (seconds < 60) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes === 1 ? '' : 's'}`;
}
