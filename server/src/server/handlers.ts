// Every handler the server registers goes through here, so a failure is handled the same way
// everywhere: logged once with its stack, and for a request answered as a ResponseError (cancelled
// requests as RequestCancelled) — never an unhandled rejection, never a client left waiting.

import {
  CancellationToken,
  Connection,
  ErrorCodes,
  LSPErrorCodes,
  NotificationType,
  RequestType,
  RequestType0,
  ResponseError,
} from 'vscode-languageserver';

export class Handlers {
  constructor(
    private readonly connection: Connection,
    private readonly log: (message: string) => void,
  ) {}

  /**
   * Registers a request by its method name, so a request sent with no params at all is answered too
   * (the params are then undefined).
   */
  onRequest<P, R>(type: RequestType<P, R, void>, handler: (params: P | undefined, token: CancellationToken) => R | Promise<R>): void;
  onRequest<R>(type: RequestType0<R, void>, handler: (token: CancellationToken) => R | Promise<R>): void;
  onRequest(type: { method: string }, handler: (...args: any[]) => unknown): void {
    const params0 = (type as { numberOfParams?: number }).numberOfParams === 0;
    const guarded = this.request(type.method, handler);
    // By method name, the connection passes (params, token), or (token) when the message has none.
    this.connection.onRequest(type.method, (...args: unknown[]) => {
      const token = args[args.length - 1] as CancellationToken;
      return params0 ? guarded(token) : guarded(args.length > 1 ? args[0] : undefined, token);
    });
  }

  onNotification<P>(type: NotificationType<P>, handler: (params: P) => void | Promise<void>): void {
    this.connection.onNotification(type.method, this.notification(type.method, handler));
  }

  /** A request handler for registration through the connection's own API (`onCodeAction`…). */
  request<A extends unknown[], R>(name: string, handler: (...args: A) => R | Promise<R>, validParams?: (params: A[0]) => boolean): (...args: A) => Promise<R> {
    return async (...args: A) => {
      // Malformed params (null, a missing document) are the client's error, said as such.
      if (validParams && !validParams(args[0])) throw new ResponseError(ErrorCodes.InvalidParams, `${name}: missing or malformed params`);
      try {
        return await handler(...args);
      } catch (e) {
        const token = args.find(CancellationToken.is);
        throw this.responseError(name, e, token);
      }
    };
  }

  /** A notification (or event) handler: errors and rejections are logged, never thrown back. */
  notification<A extends unknown[]>(name: string, handler: (...args: A) => void | Promise<void>): (...args: A) => void {
    return (...args: A) => {
      try {
        const result = handler(...args);
        if (result) result.catch((e: unknown) => this.failed(name, e));
      } catch (e) {
        this.failed(name, e);
      }
    };
  }

  private responseError(name: string, e: unknown, token: CancellationToken | undefined): ResponseError<void> {
    if (e instanceof ResponseError) return e;
    if (token?.isCancellationRequested) return new ResponseError(LSPErrorCodes.RequestCancelled, `${name} was cancelled`);
    this.failed(name, e);
    return new ResponseError(ErrorCodes.InternalError, `prodready could not answer ${name}: ${e instanceof Error ? e.message : String(e)}`);
  }

  private failed(name: string, e: unknown): void {
    this.log(`${name} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  }
}
