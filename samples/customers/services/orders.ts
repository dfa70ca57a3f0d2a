import { Service, Model, BadRequest, type Int } from 'servicegate';
import { orders } from './store.js';

export class OrderItem extends Model {
  /** Stock keeping unit. @pattern ^[A-Z0-9-]{3,32}$ @example "SKU-1001" */
  sku!: string;
  /** @minimum 1 @maximum 1000 */
  quantity!: Int;
}

export class CreateOrderRequest extends Model {
  /** @minimum 1 @example 123 */
  customer_id!: Int;
  /** @minItems 1 @maxItems 100 */
  items!: OrderItem[];
  /** A note for the warehouse. @maxLength 500 */
  note?: string | null;
}

export class Order extends Model {
  order_id!: Int;
  customer_id!: Int;
  items!: OrderItem[];
  created_at!: Date;
  status: 'new' | 'shipped' = 'new';
}

/** Places an order for a customer. */
export class CreateOrder extends Service {
  name = 'orders.create';
  input = CreateOrderRequest;
  output = Order;

  async handle() {
    const input = this.request.input;
    await this.invoke('customer.get-details', { customer_id: input.customer_id, tenant: '' });
    const skus = new Set(input.items.map((item) => item.sku));
    if (skus.size !== input.items.length) throw new BadRequest('Each SKU may appear once per order');
    const order = { id: orders.length + 1, customerId: input.customer_id, items: input.items, createdAt: new Date() };
    orders.push(order);
    this.response.statusCode = 201;
    this.response.payload = {
      order_id: order.id,
      customer_id: order.customerId,
      items: order.items,
      created_at: order.createdAt,
      status: 'new',
    };
  }
}

export class ListOrdersRequest extends Model {
  /** @minimum 1 @example 123 */
  customer_id!: Int;
  /** @minimum 1 @maximum 100 */
  limit: Int = 20;
}

export class OrderList extends Model {
  orders!: Order[];
  total!: Int;
}

/** Lists a customer's orders, newest first. */
export class ListOrders extends Service {
  name = 'orders.list';
  input = ListOrdersRequest;
  output = OrderList;

  handle() {
    const { customer_id, limit } = this.request.input;
    const mine = orders.filter((o) => o.customerId === customer_id).reverse();
    this.response.payload.total = mine.length;
    this.response.payload.orders = mine.slice(0, limit).map((o) => ({
      order_id: o.id,
      customer_id: o.customerId,
      items: o.items,
      created_at: o.createdAt,
      status: 'new' as const,
    }));
  }
}
