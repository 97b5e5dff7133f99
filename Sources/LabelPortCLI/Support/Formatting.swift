import LabelPortCore

/// Numbers and durations for summary lines.
enum Formatting {
    /// `1234567` → `1,234,567`.
    static func count(_ n: Int) -> String { CountText.grouped(n) }

    /// `3 runs`, `1 run`.
    static func count(_ n: Int, _ singular: String, _ plural: String? = nil) -> String {
        CountText.count(n, singular, plural)
    }

    /// Seconds rounded to one decimal: `0.4 s`, `12.0 s`.
    static func seconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let tenths = (Int64(seconds) * 10) + (attoseconds + 50_000_000_000_000_000) / 100_000_000_000_000_000
        return "\(tenths / 10).\(tenths % 10) s"
    }
}
