/** One row of a result set, keyed by column name. */
export type Row = Record<string, unknown>;

/** Runs SQL with Postgres-style `$1` parameters. */
export interface Queryable {
  query(sql: string, params?: readonly unknown[]): Promise<Row[]>;
}

export interface Database extends Queryable {
  /** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
}

/** The connection the platform layer hands over at startup (the Postgres pool on the server). */
export interface Connection {
  execute(sql: string, params: readonly unknown[]): Promise<Row[]>;
}

let connection: Connection | undefined;

export function connect(conn: Connection): void {
  connection = conn;
}

function current(): Connection {
  if (!connection) throw new Error("db: connect() must run before the first query");
  return connection;
}

export const db: Database = {
  query: (sql, params = []) => current().execute(sql, params),

  async transaction(work) {
    const conn = current();
    const tx: Queryable = { query: (sql, params = []) => conn.execute(sql, params) };
    await conn.execute("BEGIN", []);
    try {
      const result = await work(tx);
      await conn.execute("COMMIT", []);
      return result;
    } catch (err) {
      await conn.execute("ROLLBACK", []);
      throw err;
    }
  },
};
