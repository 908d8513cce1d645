export class CausalInputError extends Error { constructor(message: string, readonly detail: Record<string, unknown> = {}) { super(message); this.name = 'CausalInputError'; } }
