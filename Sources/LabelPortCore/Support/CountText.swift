/// Counts as every message prints them: with thousands separators (`50,000`), and the
/// noun in the singular for one (`1 row`, `2 rows`).
package enum CountText {
    /// `1234567` → `1,234,567`.
    package static func grouped(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return (n < 0 ? "-" : "") + out
    }

    /// `1 row`, `1,000 rows`, `2 retries` (with `plural`).
    package static func count(_ n: Int, _ singular: String, _ plural: String? = nil) -> String {
        "\(grouped(n)) \(n == 1 ? singular : (plural ?? singular + "s"))"
    }
}
