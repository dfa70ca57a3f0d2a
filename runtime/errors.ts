/**
 * Errors a service may throw on purpose; each maps to its status code and its message is sent as `details`.
 * Anything else thrown by a service is answered 500 "Internal error" and logged with the cid.
 */
export class ServiceError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
    this.name = new.target.name;
  }
}

// A brand that survives two copies of this module being loaded (source and dist/): the runtime recognises a
// ServiceError by it, not only by `instanceof`.
Object.defineProperty(ServiceError.prototype, Symbol.for('servicegate.ServiceError'), { value: true });

export class BadRequest extends ServiceError {
  constructor(message = 'Bad request') {
    super(400, message);
  }
}

export class Unauthorized extends ServiceError {
  constructor(message = 'Unauthorized') {
    super(401, message);
  }
}

export class Forbidden extends ServiceError {
  constructor(message = 'Forbidden') {
    super(403, message);
  }
}

export class NotFound extends ServiceError {
  constructor(message = 'Not found') {
    super(404, message);
  }
}

export class Conflict extends ServiceError {
  constructor(message = 'Conflict') {
    super(409, message);
  }
}
