import type { Compilable, CompiledQuery, Kysely, QueryResult } from "kysely";
import type { Database } from "./schema.js";

/** Stands in for a parameter while the statement is compiled, to find its place among the compiled parameters. */
const MARK = "\u0000parameter:";

type Slot = { readonly name: string } | { readonly value: unknown };

/**
 * A statement Kysely builds and compiles once, then runs with new parameters. On a hot path Kysely
 * would otherwise build the query tree and compile it to SQL for every call, which costs more than
 * SQLite running the statement. `build` builds it with the store's Kysely, so the text is the
 * dialect's own: the same query code path on SQLite and PostgreSQL, run on the database or inside a
 * transaction alike.
 *
 * `build` gets `param(name)`, which it uses wherever the statement takes that input; values written
 * into the statement itself (`last_sequence + 1`) stay as compiled.
 */
export class PreparedStatement<Params extends Record<string, unknown>, Row> {
  readonly #compiled: CompiledQuery<Row>;
  readonly #slots: readonly Slot[];

  constructor(build: (param: <K extends keyof Params & string>(name: K) => Params[K]) => Compilable<Row>) {
    const compiled = build((name) => `${MARK}${name}` as never).compile();
    if (compiled.sql.includes(MARK)) throw new Error(`A parameter was written into the statement's text: ${compiled.sql}`);
    this.#compiled = compiled;
    this.#slots = compiled.parameters.map(
      (p): Slot => (typeof p === "string" && p.startsWith(MARK) ? { name: p.slice(MARK.length) } : { value: p }),
    );
  }

  execute(db: Kysely<Database>, params: Params): Promise<QueryResult<Row>> {
    const parameters = this.#slots.map((slot) => ("name" in slot ? params[slot.name] : slot.value));
    return db.executeQuery<Row>({ ...this.#compiled, parameters });
  }

  async first(db: Kysely<Database>, params: Params): Promise<Row | undefined> {
    return (await this.execute(db, params)).rows[0];
  }
}
