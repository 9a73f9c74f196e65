import type { IsolationLevel, SqlDriverAdapter, SqlDriverAdapterFactory, Transaction } from '@prisma/driver-adapter-utils';

/**
 * Works around a Prisma 7.10 behaviour, not a fault of ours. Its query interpreter loads the
 * relations of one `include` concurrently (Promise.all over a join's children). Outside a
 * transaction each query takes its own pooled connection; inside an interactive transaction they all
 * go to the transaction's single pg client, which queues them and warns "Calling client.query() when
 * the client is already executing a query" (pg 8.19+; pg 9 makes it an error). @prisma/adapter-pg
 * does not serialise them yet (open upstream: prisma/orm#29979). Here every call on one transaction
 * waits for the previous one: the client ran them one at a time anyway, so nothing gets slower.
 * Remove once the adapter does this itself.
 */
export function serialiseTransactions(factory: SqlDriverAdapterFactory): SqlDriverAdapterFactory {
  return forward(factory, {
    connect: async () => {
      const adapter = await factory.connect();
      return forward<SqlDriverAdapter>(adapter, {
        startTransaction: async (isolationLevel?: IsolationLevel) => serialised(await adapter.startTransaction(isolationLevel)),
      });
    },
  });
}

/** Everything that talks to the connection, commit and rollback included, in call order. */
const SERIAL = new Set<PropertyKey>(['queryRaw', 'executeRaw', 'commit', 'rollback', 'createSavepoint', 'rollbackToSavepoint', 'releaseSavepoint']);

function serialised(tx: Transaction): Transaction {
  let tail: Promise<unknown> = Promise.resolve();
  const inTurn = <T>(call: () => Promise<T>): Promise<T> => {
    const turn = tail.then(call, call);
    tail = turn.catch(() => {});
    return turn;
  };
  return new Proxy(tx, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop);
      if (typeof value !== 'function') return value;
      // Called on the transaction itself, so its own internal calls (a savepoint runs executeRaw) do not queue behind themselves.
      if (SERIAL.has(prop)) return (...args: unknown[]) => inTurn(() => (value as (...a: unknown[]) => Promise<unknown>).apply(target, args));
      return (value as (...a: unknown[]) => unknown).bind(target);
    },
  });
}

/** `target` with some methods replaced and everything else passed through to it. */
function forward<T extends object>(target: T, overrides: Partial<Record<keyof T, unknown>>): T {
  return new Proxy(target, {
    get(t, prop) {
      if (Object.hasOwn(overrides, prop)) return overrides[prop as keyof T];
      const value: unknown = Reflect.get(t, prop);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(t) : value;
    },
  });
}
