import { Inject, Injectable } from '@nestjs/common';
import { DomainError, HUB_CONFIG, type HubConfig, Metrics } from '@hub/core';

/**
 * How many live connections (Socket.IO and graphql-ws together) this instance holds per member and per
 * client address. A stolen token or a runaway client cannot exhaust an instance's sockets; the caps are
 * per instance (the load balancer spreads clients), generous enough for many tabs and an office behind NAT.
 */
@Injectable()
export class ConnectionCaps {
  private readonly byMember = new Map<string, number>();
  private readonly byAddress = new Map<string, number>();

  constructor(
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    private readonly metrics: Metrics,
  ) {}

  /**
   * Counts one connection, or refuses it with RATE_LIMITED (counted as `connections_per_member` or
   * `connections_per_address`). The returned function releases it; calling it twice is harmless.
   */
  admit(memberId: string, address: string): () => void {
    const { perMember, perAddress } = this.config.connectionCaps;
    if ((this.byMember.get(memberId) ?? 0) >= perMember) {
      this.metrics.reject('connections_per_member');
      throw new DomainError(
        'RATE_LIMITED',
        `You already have ${perMember} live connections open on this server. Close some tabs or devices and try again.`,
      );
    }
    if ((this.byAddress.get(address) ?? 0) >= perAddress) {
      this.metrics.reject('connections_per_address');
      throw new DomainError(
        'RATE_LIMITED',
        `Too many live connections from your network (${perAddress}). Try again later, or ask the operator to raise CONNECTIONS_PER_ADDRESS.`,
      );
    }
    bump(this.byMember, memberId, 1);
    bump(this.byAddress, address, 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      bump(this.byMember, memberId, -1);
      bump(this.byAddress, address, -1);
    };
  }
}

function bump(counts: Map<string, number>, key: string, by: number): void {
  const next = (counts.get(key) ?? 0) + by;
  if (next > 0) counts.set(key, next);
  else counts.delete(key);
}
