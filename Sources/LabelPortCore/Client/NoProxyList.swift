/// The hosts `NO_PROXY` exempts from the proxy, read as curl reads it: comma-separated
/// entries, each a host name (matching itself and its subdomains; a leading `.` is
/// ignored), an IP address, a range of addresses in CIDR notation (`192.168.0.0/16`,
/// `fd00::/8`), or `*` for every host. Ports and letter case are ignored.
struct NoProxyList: Sendable, Equatable {
    /// An address range: its first bytes and how many leading bits must match.
    private struct Range: Sendable, Equatable {
        var address: [UInt8]
        var bits: Int

        func contains(_ other: [UInt8]) -> Bool {
            guard other.count == address.count else { return false }
            var left = bits
            for (a, b) in zip(address, other) where left > 0 {
                let mask: UInt8 = left >= 8 ? 0xFF : ~(0xFF >> UInt8(left))
                if a & mask != b & mask { return false }
                left -= 8
            }
            return true
        }
    }

    private var entries: [String]
    private var ranges: [Range] = []
    private var matchesAll = false

    init(_ text: String) {
        entries = []
        for raw in text.split(separator: ",") {
            var entry = String(raw).trimmingWhitespace().lowercased()
            if entry == "*" { matchesAll = true; continue }
            if let slash = entry.firstIndex(of: "/"), let bits = Int(entry[entry.index(after: slash)...]),
               let address = Platform.ipAddressBytes(String(entry[..<slash])), (0...address.count * 8).contains(bits) {
                ranges.append(Range(address: address, bits: bits))
                continue
            }
            while entry.hasPrefix(".") { entry.removeFirst() }
            if entry.hasPrefix("["), let close = entry.firstIndex(of: "]") {
                entry = String(entry[entry.index(after: entry.startIndex)..<close])
            } else if let colon = entry.lastIndex(of: ":"), entry.firstIndex(of: ":") == colon {
                entry = String(entry[..<colon])
            }
            if !entry.isEmpty { entries.append(entry) }
        }
    }

    func matches(_ host: String) -> Bool {
        if matchesAll { return true }
        let host = host.lowercased()
        if entries.contains(where: { host == $0 || host.hasSuffix("." + $0) }) { return true }
        guard !ranges.isEmpty else { return false }
        let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        guard let address = Platform.ipAddressBytes(bare) else { return false }
        return ranges.contains { $0.contains(address) }
    }
}
