"""The machine's LAN address, for the URLs phones use (they cannot reach localhost)."""
import ipaddress
import socket

import psutil


def lan_address() -> str:
    """Return this machine's best IPv4 address for phones on the same network.

    Prefers a private address (venue LAN or phone hotspot), then any other non-loopback one;
    reads the interfaces only (no packet is sent). Falls back to 127.0.0.1.
    """
    candidates = []
    for addrs in psutil.net_if_addrs().values():
        for addr in addrs:
            if addr.family != socket.AF_INET:
                continue
            ip = ipaddress.ip_address(addr.address)
            if ip.is_loopback or ip.is_link_local:
                continue
            candidates.append((0 if ip.is_private else 1, addr.address))
    return min(candidates)[1] if candidates else "127.0.0.1"
