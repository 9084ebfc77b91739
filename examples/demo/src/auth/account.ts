import { db } from "../db";

export async function deleteAccount(userId: string): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query("DELETE FROM trip_routes WHERE trip_id IN (SELECT id FROM trips WHERE owner_id = $1)", [userId]);
    await tx.query("DELETE FROM trips WHERE owner_id = $1", [userId]);
    await tx.query("DELETE FROM users WHERE id = $1", [userId]);
  });
  // FIXME(BL-25): uploaded photos stay in object storage after the account is deleted
}
