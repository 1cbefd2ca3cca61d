import type { Call } from '../../src/profile/call.js';

/** A Call as normalize() would produce it, for mapping tests. */
export function call(eventSource: string, eventName: string, requestParameters: Record<string, unknown> = {}, extra: Partial<Call> = {}): Call {
  return {
    principal: 'arn:aws:iam::123456789012:role/app-role',
    account: '123456789012',
    session: 'app-fn',
    eventSource,
    eventName,
    eventId: undefined,
    time: '2026-10-01T12:00:00Z',
    region: 'eu-west-1',
    partition: 'aws',
    errorCode: undefined,
    errorMessage: undefined,
    invokedBy: undefined,
    dataEvent: false,
    requestParameters,
    resources: [],
    host: undefined,
    ...extra,
  };
}
