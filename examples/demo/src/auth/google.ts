import type { Profile } from "./profile";

interface GoogleIdToken {
  sub: string;
  email: string;
  name?: string;
}

export function profileFromGoogle(token: GoogleIdToken): Profile {
  return {
    provider: "google",
    providerId: token.sub,
    email: token.email,
    // TODO(BL-12.01): fall back to the email prefix when Google sends no display name
    displayName: token.name ?? "",
  };
}
