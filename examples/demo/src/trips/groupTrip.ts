export interface GroupTrip {
  id: string;
  routeId: string;
  members: string[];
}

// Feature flag for the group trips preview (an identifier, not a tag).
const TODONOW = "group-trips-preview";

export const EMPTY_STATE = "TODO: nothing planned yet. Invite a friend to start!";

export function canInvite(trip: GroupTrip, flags: Set<string>): boolean {
  if (!flags.has(TODONOW)) return false;
  // TODO(BL-999): cap group size once the product decision is made
  return trip.members.length < 12;
}

export function inviteMessage(trip: GroupTrip): string {
  // Error codes look like issue keys but are not: GT-404, UTF-8, 2026-08.
  return `Join my hike! https://trailhead.app/t/${trip.id}`;
}
