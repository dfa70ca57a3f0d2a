// prototype
import type { Request, Response } from 'servicegate';
import type { GetCustomerRequest, GetCustomerResponse, GetDetailsRequest, CustomerDetails, UpdateCustomerRequest, UpdateCustomerResponse } from '../services/customer.js';
import type { CreateOrderRequest, Order, ListOrdersRequest, OrderList } from '../services/orders.js';

declare module '../services/customer.js' {
  interface GetCustomer { readonly request: Request<GetCustomerRequest>; readonly response: Response<GetCustomerResponse>; }
  interface GetDetails { readonly request: Request<GetDetailsRequest>; readonly response: Response<CustomerDetails>; }
  interface UpdateCustomer { readonly request: Request<UpdateCustomerRequest>; readonly response: Response<UpdateCustomerResponse>; }
}
declare module '../services/orders.js' {
  interface CreateOrder { readonly request: Request<CreateOrderRequest>; readonly response: Response<Order>; }
  interface ListOrders { readonly request: Request<ListOrdersRequest>; readonly response: Response<OrderList>; }
}
declare module 'servicegate' {
  interface ServiceMap {
    'customer.get': { input: GetCustomerRequest; output: GetCustomerResponse };
    'customer.get-details': { input: GetDetailsRequest; output: CustomerDetails };
    'customer.update': { input: UpdateCustomerRequest; output: UpdateCustomerResponse };
    'orders.create': { input: CreateOrderRequest; output: Order };
    'orders.list': { input: ListOrdersRequest; output: OrderList };
  }
}
