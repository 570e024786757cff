// Pod IPs for simulated instances. Each pod gets its own loopback address in
// 127.10.0.1 and up: Linux routes all of 127.0.0.0/8 to `lo`, so an exporter
// can listen on <podIP>:9187 exactly as the scraper expects of a real pod.
// Each allocator starts at a random point of that range so that several
// sandboxes on one machine (parallel test files) rarely pick the same address;
// the exporters move a pod to a fresh address when its own is taken anyway.

const firstSecondOctet = 10;
const hostsPerThirdOctet = 254;
const capacity = (254 - firstSecondOctet + 1) * 256 * hostsPerThirdOctet;

export class PodIpAllocator {
  private next: number;

  constructor(options: { start?: number } = {}) {
    this.next = options.start ?? Math.floor(Math.random() * capacity * 0.9);
  }

  /** A fresh address; addresses are never reused, so a closing listener cannot collide. */
  allocate(): string {
    const index = this.next % capacity;
    this.next += 1;
    const perSecond = 256 * hostsPerThirdOctet;
    const second = firstSecondOctet + Math.floor(index / perSecond);
    const third = Math.floor((index % perSecond) / hostsPerThirdOctet);
    const fourth = 1 + (index % hostsPerThirdOctet);
    return `127.${second}.${third}.${fourth}`;
  }
}
