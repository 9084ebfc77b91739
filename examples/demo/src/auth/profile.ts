/** Who signed in, whichever provider vouched for them. */
export type Provider = "email" | "google" | "apple";

export interface Profile {
  provider: Provider;
  /** The provider's stable id for the user (Google's `sub`); the email for email accounts. */
  providerId: string;
  email: string;
  displayName: string;
}

/** Shown in the avatar bubble when there is no photo. */
export function initials(profile: Profile): string {
  const words = profile.displayName.trim().split(/\s+/).filter(Boolean);
  const letters = words.length > 0 ? words.slice(0, 2).map((w) => w[0]) : [profile.email[0] ?? "?"];
  return letters.join("").toUpperCase();
}
