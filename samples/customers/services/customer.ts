import { Service, Model, NotFound, type Int } from 'servicegate';
import { customers } from './store.js';

export type Tier = 'basic' | 'gold' | 'platinum';

/** A customer lookup. */
export class GetCustomerRequest extends Model {
  /** The customer's id. @minimum 1 @example 123 */
  customer_id!: Int;
}

export class GetCustomerResponse extends Model {
  name!: string;
  /** @format email */
  email!: string;
  tier!: Tier;
}

/** Returns a customer's public profile; the caller's tenant comes from the `x-zato-tenant` header. */
export class GetCustomer extends Service {
  name = 'customer.get';
  input = GetCustomerRequest;
  output = GetCustomerResponse;

  async handle() {
    const username = this.channel.security.username;
    this.logger.info(`API call from ${username}`);
    const customerId = this.request.input.customer_id;
    const tenant = this.request.http.headers.get('x-zato-tenant') ?? '';
    const customer = await this.invoke('customer.get-details', { customer_id: customerId, tenant });
    this.response.payload.name = customer.name;
    this.response.payload.email = customer.email;
    this.response.payload.tier = customer.tier;
  }
}

export class GetDetailsRequest extends Model {
  /** @minimum 1 @example 123 */
  customer_id!: Int;
  /** The tenant the caller belongs to; empty: any tenant. */
  tenant = '';
}

export class CustomerDetails extends Model {
  customer_id!: Int;
  name!: string;
  /** @format email */
  email!: string;
  tier!: Tier;
  tenant!: string;
}

/** The internal lookup behind customer.get (not allowlisted on the gateway). Name: customer.get-details. */
export class GetDetails extends Service {
  input = GetDetailsRequest;
  output = CustomerDetails;

  handle() {
    const { customer_id, tenant } = this.request.input;
    const found = customers.get(customer_id);
    if (!found || (tenant !== '' && found.tenant !== tenant)) throw new NotFound(`No customer ${customer_id}`);
    this.response.payload = {
      customer_id: found.id,
      name: found.name,
      email: found.email,
      tier: found.tier,
      tenant: found.tenant,
    };
  }
}

export class UpdateCustomerRequest extends Model {
  /** @minimum 1 @example 123 */
  customer_id!: Int;
  /** @minLength 1 @maxLength 200 */
  name?: string;
  /** @format email */
  email?: string;
  tier?: Tier;
}

export class UpdateCustomerResponse extends Model {
  customer_id!: Int;
  updated!: boolean;
}

/** Changes a customer's name, email or tier. */
export class UpdateCustomer extends Service {
  name = 'customer.update';
  input = UpdateCustomerRequest;
  output = UpdateCustomerResponse;

  handle() {
    const input = this.request.input;
    const found = customers.get(input.customer_id);
    if (!found) throw new NotFound(`No customer ${input.customer_id}`);
    if (input.name !== undefined) found.name = input.name;
    if (input.email !== undefined) found.email = input.email;
    if (input.tier !== undefined) found.tier = input.tier;
    this.logger.info('customer updated', { customer_id: found.id, by: this.channel.security.username });
    this.response.payload = { customer_id: found.id, updated: true };
  }
}
