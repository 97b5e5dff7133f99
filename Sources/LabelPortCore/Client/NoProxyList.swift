/// The hosts `NO_PROXY` exempts from the proxy, read as curl reads it: comma-separated
/// entries, each a host name (matching itself and its subdomains; a leading `.` is
/// ignored), an IP address, or `*` for every host. Ports and letter case are ignored.
struct NoProxyList: Sendable, Equatable {
    private var entries: [String]
    private var matchesAll = false

    init(_ text: String) {
        entries = []
        for raw in text.split(separator: ",") {
            var entry = String(raw).trimmingWhitespace().lowercased()
            if entry == "*" { matchesAll = true; continue }
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
        return entries.contains { host == $0 || host.hasSuffix("." + $0) }
    }
}
