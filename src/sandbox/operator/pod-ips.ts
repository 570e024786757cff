// Pod IPs for simulated instances. Each pod gets its own loopback address in
// 127.10.0.0/8 and up: Linux routes all of 127.0.0.0/8 to `lo`, so an exporter
// can listen on <podIP>:9187 exactly as the scraper expects of a real pod.

const firstSecondOctet = 10;
const hostsPerThirdOctet = 254;

export class PodIpAllocator {
  private next = 0;

  /** A fresh address; addresses are never reused, so a closing listener cannot collide. */
  allocate(): string {
    const index = this.next;
    this.next += 1;
    const perSecond = 256 * hostsPerThirdOctet;
    const second = firstSecondOctet + Math.floor(index / perSecond);
    if (second > 254) throw new Error('the sandbox ran out of loopback pod IPs');
    const third = Math.floor((index % perSecond) / hostsPerThirdOctet);
    const fourth = 1 + (index % hostsPerThirdOctet);
    return `127.${second}.${third}.${fourth}`;
  }
}
