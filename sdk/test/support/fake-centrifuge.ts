/**
 * A stand-in for centrifuge-js (no Centrifugo server exists here): the same event names and
 * subscription lifecycle, with publications delivered only while a channel is subscribed.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Listener = (ctx: any) => void;

class Emitter {
  private listeners = new Map<string, Listener[]>();
  on(event: string, listener: Listener): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }
  emit(event: string, ctx: unknown): void {
    for (const listener of this.listeners.get(event) ?? []) listener(ctx);
  }
}

export class FakeSubscription extends Emitter {
  state: 'unsubscribed' | 'subscribing' | 'subscribed' = 'unsubscribed';
  constructor(readonly channel: string, private readonly owner: FakeCentrifuge) {
    super();
  }
  subscribe(): void {
    this.state = 'subscribing';
    this.emit('subscribing', {});
    if (this.owner.state === 'connected') this.becomeSubscribed();
  }
  unsubscribe(): void {
    this.state = 'unsubscribed';
    this.emit('unsubscribed', {});
  }
  becomeSubscribed(): void {
    if (this.state === 'unsubscribed') return;
    this.state = 'subscribed';
    this.emit('subscribed', { channel: this.channel });
  }
}

export class FakeCentrifuge extends Emitter {
  state: 'disconnected' | 'connecting' | 'connected' = 'disconnected';
  readonly subscriptions = new Map<string, FakeSubscription>();

  newSubscription(channel: string): FakeSubscription {
    if (this.subscriptions.has(channel)) throw new Error(`duplicate subscription to ${channel}`);
    const subscription = new FakeSubscription(channel, this);
    this.subscriptions.set(channel, subscription);
    return subscription;
  }
  getSubscription(channel: string): FakeSubscription | null {
    return this.subscriptions.get(channel) ?? null;
  }
  removeSubscription(subscription: FakeSubscription | null): void {
    if (subscription) this.subscriptions.delete(subscription.channel);
  }
  connect(): void {
    this.state = 'connecting';
    this.emit('connecting', {});
    this.state = 'connected';
    this.emit('connected', {});
    for (const subscription of this.subscriptions.values()) subscription.becomeSubscribed();
  }
  disconnect(): void {
    this.state = 'disconnected';
    this.emit('disconnected', {});
  }
  /** The connection drops and comes back (what centrifuge-js does by itself). */
  blip(): void {
    this.state = 'connecting';
    for (const subscription of this.subscriptions.values()) {
      if (subscription.state === 'subscribed') {
        subscription.state = 'subscribing';
        subscription.emit('subscribing', {});
      }
    }
    this.emit('connecting', {});
  }
  reconnected(): void {
    this.connect();
  }
  /** What Centrifugo delivers for a publication to `channel`. */
  publish(channel: string, data: unknown): boolean {
    const subscription = this.subscriptions.get(channel);
    if (this.state !== 'connected' || subscription?.state !== 'subscribed') return false;
    subscription.emit('publication', { channel, data });
    return true;
  }
}
