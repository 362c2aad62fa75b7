//! Addresses as the C tools take and show them: host names resolved the way
//! `getaddrinfo(3)` / `gethostbyname(3)` resolve them there, address-list options (`-B`,
//! `-b`, `-c`, `-C`), interface names for IPv6 scope ids, and the C tools' address printing
//! (`print_sockaddr`, `getnameinfo(NI_NUMERICHOST)` with `/etc/services` port names).

use std::fs;
use std::net::{IpAddr, Ipv6Addr, SocketAddr, SocketAddrV6, ToSocketAddrs};

/// Every address `host` resolves to (numeric addresses as they are), in the resolver's
/// order, without duplicates.
///
/// # Errors
///
/// The resolver's message ("Name or service not known", ...) when `host` resolves to
/// nothing.
pub fn resolve(host: &str) -> Result<Vec<IpAddr>, String> {
    if let Ok(ip) = host.parse::<IpAddr>() {
        return Ok(vec![ip]);
    }
    if let Some((ip, _scope)) = scoped_v6(host) {
        return Ok(vec![IpAddr::V6(ip)]);
    }
    let found = (host, 0u16).to_socket_addrs().map_err(|e| {
        let s = crate::cli::strerror(&e);
        // std wraps getaddrinfo's text as "failed to lookup address information: ...".
        match s.strip_prefix("failed to lookup address information: ") {
            Some(rest) => rest.to_owned(),
            None => s,
        }
    })?;
    let mut out = Vec::new();
    for a in found {
        if !out.contains(&a.ip()) {
            out.push(a.ip());
        }
    }
    if out.is_empty() {
        return Err("Name or service not known".into());
    }
    Ok(out)
}

/// `fe80::1%eth0` or `fe80::1%3`: the address and the interface index.
fn scoped_v6(host: &str) -> Option<(Ipv6Addr, u32)> {
    let (ip, scope) = host.split_once('%')?;
    let ip: Ipv6Addr = ip.parse().ok()?;
    let index = scope.parse().ok().or_else(|| if_index(scope))?;
    Some((ip, index))
}

/// The address `getaddrinfo(host)` gives first, with `port`; an IPv6 address gets the scope
/// of `%ifname` in `host`, else of `interface`. `"0"` means `0.0.0.0` (as in sctp_test).
///
/// # Errors
///
/// The resolver's message when nothing is found, or a bad interface name.
pub fn first_addr(host: &str, port: u16, interface: Option<&str>) -> Result<SocketAddr, String> {
    let host = if host == "0" { "0.0.0.0" } else { host };
    let scope = match interface {
        Some(name) => if_index(name).ok_or_else(|| format!("Interface {name} unknown"))?,
        None => 0,
    };
    if let Some((ip, idx)) = scoped_v6(host) {
        return Ok(SocketAddr::V6(SocketAddrV6::new(ip, port, 0, idx)));
    }
    let ip = resolve(host)?[0];
    Ok(with_scope(SocketAddr::new(ip, port), scope))
}

/// The address `gethostbyname(host)` gives, else `gethostbyname2(host, AF_INET6)`: IPv4
/// first (as sctp_darn resolves `-H` and `-h`), IPv6 with scope id `scope`.
///
/// # Errors
///
/// `bad hostname` when nothing is found.
pub fn v4_first(host: &str, port: u16, scope: u32) -> Result<SocketAddr, String> {
    let all = resolve(host).map_err(|_| format!("bad hostname: {host}"))?;
    let ip = all
        .iter()
        .find(|a| a.is_ipv4())
        .or_else(|| all.first())
        .copied()
        .ok_or_else(|| format!("bad hostname: {host}"))?;
    Ok(with_scope(SocketAddr::new(ip, port), scope))
}

/// The addresses an address-list option (`-B`, `-b`, `-c`, `-C`) adds: every IPv4 address
/// of `spec` then every IPv6 one (as the C tools' `append_addr`), with `port` and scope id
/// `scope`, or the scope of `%ifname` when `allow_ifname` and `spec` has one.
///
/// # Errors
///
/// `bad hostname: ...` or `bad interface name: ...`.
pub fn append_addrs(
    spec: &str,
    port: u16,
    scope: u32,
    allow_ifname: bool,
) -> Result<Vec<SocketAddr>, String> {
    let (host, scope) = match spec.split_once('%') {
        Some((h, ifname)) if allow_ifname => {
            let idx = if_index(ifname).ok_or_else(|| format!("bad interface name: {ifname}"))?;
            (h, idx)
        }
        _ => (spec, scope),
    };
    let all = resolve(host).map_err(|_| format!("bad hostname: {host}"))?;
    let v4 = all.iter().filter(|a| a.is_ipv4());
    let v6 = all.iter().filter(|a| a.is_ipv6());
    Ok(v4
        .chain(v6)
        .map(|ip| with_scope(SocketAddr::new(*ip, port), scope))
        .collect())
}

/// `addr` with scope id `scope` if it is IPv6.
pub fn with_scope(addr: SocketAddr, scope: u32) -> SocketAddr {
    match addr {
        SocketAddr::V6(a) => SocketAddr::V6(SocketAddrV6::new(*a.ip(), a.port(), 0, scope)),
        v4 => v4,
    }
}

/// The index of network interface `name` (`if_nametoindex(3)`), from sysfs.
pub fn if_index(name: &str) -> Option<u32> {
    if name.is_empty() || name.contains('/') || name.starts_with('.') {
        return None;
    }
    fs::read_to_string(format!("/sys/class/net/{name}/ifindex"))
        .ok()?
        .trim()
        .parse()
        .ok()
        .filter(|&i| i != 0)
}

/// The name of interface `index` (`if_indextoname(3)`), from sysfs.
pub fn if_name(index: u32) -> Option<String> {
    let dir = fs::read_dir("/sys/class/net").ok()?;
    dir.flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .find(|name| if_index(name) == Some(index))
}

/// `getnameinfo(addr, NI_NUMERICHOST)`: the numeric host (`fe80::1%eth0` with a scope) and
/// the port's `/etc/services` TCP name, or its number.
pub fn name_info(addr: &SocketAddr) -> (String, String) {
    let host = match addr {
        SocketAddr::V6(a) if a.scope_id() != 0 => {
            let scope = if_name(a.scope_id()).unwrap_or_else(|| a.scope_id().to_string());
            format!("{}%{scope}", a.ip())
        }
        a => a.ip().to_string(),
    };
    (host, service_name(addr.port()))
}

/// The first `/etc/services` name of TCP port `port` (`getservbyport(3)`), else the number.
pub fn service_name(port: u16) -> String {
    fs::read_to_string("/etc/services")
        .ok()
        .and_then(|text| find_service(&text, port))
        .unwrap_or_else(|| port.to_string())
}

/// The name of TCP port `port` in `/etc/services` text.
fn find_service(text: &str, port: u16) -> Option<String> {
    let want = format!("{port}/tcp");
    text.lines().find_map(|line| {
        let line = line.split('#').next().unwrap_or("");
        let mut fields = line.split_whitespace();
        let name = fields.next()?;
        (fields.next()? == want).then(|| name.to_owned())
    })
}

/// sctp_darn's `print_sockaddr`: `a.b.c.d:port`, or eight zero-padded hex groups and the
/// port for IPv6.
pub fn darn_sockaddr(addr: &SocketAddr) -> String {
    match addr {
        SocketAddr::V4(a) => format!("{}:{}", a.ip(), a.port()),
        SocketAddr::V6(a) => {
            let g = a.ip().segments();
            format!(
                "{:04x}:{:04x}:{:04x}:{:04x}:{:04x}:{:04x}:{:04x}:{:04x}:{}",
                g[0],
                g[1],
                g[2],
                g[3],
                g[4],
                g[5],
                g[6],
                g[7],
                a.port()
            )
        }
    }
}

/// `AF_INET` or `AF_INET6`, as the C tools print a family.
pub fn family(addr: &SocketAddr) -> i32 {
    match addr {
        SocketAddr::V4(_) => libc::AF_INET,
        SocketAddr::V6(_) => libc::AF_INET6,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numeric_hosts_resolve_to_themselves() {
        assert_eq!(
            resolve("10.0.0.1").unwrap(),
            ["10.0.0.1".parse::<IpAddr>().unwrap()]
        );
        assert_eq!(
            first_addr("0", 5, None).unwrap(),
            "0.0.0.0:5".parse().unwrap()
        );
        assert_eq!(
            first_addr("::1", 7, Some("lo")).unwrap(),
            SocketAddr::V6(SocketAddrV6::new(Ipv6Addr::LOCALHOST, 7, 0, 1))
        );
        assert!(first_addr("::1", 7, Some("no-such-if0")).is_err());
        assert_eq!(
            append_addrs("::1%lo", 9, 0, true).unwrap(),
            [SocketAddr::V6(SocketAddrV6::new(
                Ipv6Addr::LOCALHOST,
                9,
                0,
                1
            ))]
        );
        assert!(append_addrs("::1%nope0", 9, 0, true).is_err());
        assert!(v4_first("no.such.host.invalid", 1, 0).is_err());
    }

    #[test]
    fn darn_prints_v6_as_eight_groups() {
        let a: SocketAddr = "[fe80::1:2]:80".parse().unwrap();
        assert_eq!(
            darn_sockaddr(&a),
            "fe80:0000:0000:0000:0000:0000:0001:0002:80"
        );
        assert_eq!(darn_sockaddr(&"1.2.3.4:5".parse().unwrap()), "1.2.3.4:5");
    }

    #[test]
    fn services_give_the_first_tcp_name() {
        let text = "# c\nx11\t\t6000/tcp\tx11-0 # X\nfoo 6000/udp\nx11-1 6001/tcp\n";
        assert_eq!(find_service(text, 6000).as_deref(), Some("x11"));
        assert_eq!(find_service(text, 6001).as_deref(), Some("x11-1"));
        assert_eq!(find_service(text, 6002), None);
    }
}
