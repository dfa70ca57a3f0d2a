/** The sample's data: an in-memory store standing in for a database. Not a service (no Service subclass). */
export interface CustomerRecord {
  id: number;
  name: string;
  email: string;
  tier: 'basic' | 'gold' | 'platinum';
  tenant: string;
}

export interface OrderRecord {
  id: number;
  customerId: number;
  items: { sku: string; quantity: number }[];
  createdAt: Date;
}

export const customers = new Map<number, CustomerRecord>([
  [123, { id: 123, name: 'Jane Doe', email: 'jane.doe@example.com', tier: 'gold', tenant: 'acme' }],
  [456, { id: 456, name: 'John Roe', email: 'john.roe@example.com', tier: 'basic', tenant: 'acme' }],
  [789, { id: 789, name: 'Mary Major', email: 'mary.major@example.org', tier: 'platinum', tenant: 'globex' }],
]);

export const orders: OrderRecord[] = [];
