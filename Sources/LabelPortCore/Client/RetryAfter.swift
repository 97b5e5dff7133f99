/// A `Retry-After` header: a delay in seconds or an HTTP-date.
package enum RetryAfter: Sendable, Equatable {
    case seconds(Int)
    /// Seconds since 1970-01-01T00:00:00Z.
    case date(epochSeconds: Int)

    package init?(header: String) {
        let text = header.trimmingWhitespace()
        if let seconds = Int(text), seconds >= 0 {
            self = .seconds(seconds)
        } else if let epoch = HTTPDate.parse(text) {
            self = .date(epochSeconds: epoch)
        } else {
            return nil
        }
    }

    /// The wait in words: `3600 s (1 h)`, `90 s (1 min 30 s)`, `5 s`, or `until DATE`.
    package var spoken: String {
        switch self {
        case .seconds(let s) where s < 60: return "\(s) s"
        case .seconds(let s):
            let (h, m, r) = (s / 3600, s % 3600 / 60, s % 60)
            let parts = [h > 0 ? "\(h) h" : nil, m > 0 ? "\(m) min" : nil, r > 0 ? "\(r) s" : nil].compactMap { $0 }
            return "\(s) s (\(parts.joined(separator: " ")))"
        case .date(let epoch): return "until \(HTTPDate.format(epochSeconds: epoch))"
        }
    }

    /// The wait this asks for, given the wall-clock time now in seconds since 1970.
    package func delay(nowEpochSeconds: Double) -> Duration {
        switch self {
        case .seconds(let s): .seconds(s)
        case .date(let epoch): .milliseconds(max(0, Int((Double(epoch) - nowEpochSeconds) * 1000)))
        }
    }
}

/// Parses and formats IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`), the form
/// RFC 9110 requires senders to use, plus the obsolete RFC 850 and asctime forms.
package enum HTTPDate {
    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    private static let weekdays = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"]

    package static func parse(_ text: String) -> Int? {
        let tokens = text.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "-" }).map(String.init)
        // IMF-fixdate: Sun 06 Nov 1994 08:49:37 GMT; RFC 850: Sunday 06 Nov 94 08:49:37 GMT
        // asctime: Sun Nov 6 08:49:37 1994
        var day: Int?, month: Int?, year: Int?, time: [Int]?
        if tokens.count == 6, tokens[5].uppercased() == "GMT" {
            day = Int(tokens[1]); month = monthIndex(tokens[2]); year = Int(tokens[3]); time = clock(tokens[4])
            if let y = year, tokens[3].count == 2 { year = y < 70 ? 2000 + y : 1900 + y }
        } else if tokens.count == 5 {
            month = monthIndex(tokens[1]); day = Int(tokens[2]); time = clock(tokens[3]); year = Int(tokens[4])
        }
        guard let d = day, let m = month, let y = year, let t = time, (1...31).contains(d) else { return nil }
        return daysFromCivil(year: y, month: m, day: d) * 86_400 + t[0] * 3600 + t[1] * 60 + t[2]
    }

    package static func format(epochSeconds: Int) -> String {
        let days = epochSeconds >= 0 ? epochSeconds / 86_400 : (epochSeconds - 86_399) / 86_400
        let secs = epochSeconds - days * 86_400
        let (y, m, d) = civilFromDays(days)
        let weekday = weekdays[((days % 7) + 7) % 7]
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let month = months[m - 1].prefix(1).uppercased() + months[m - 1].dropFirst()
        return "\(weekday), \(two(d)) \(month) \(y) \(two(secs / 3600)):\(two(secs / 60 % 60)):\(two(secs % 60)) GMT"
    }

    private static func monthIndex(_ token: String) -> Int? {
        months.firstIndex(of: token.lowercased()).map { $0 + 1 }
    }

    private static func clock(_ token: String) -> [Int]? {
        let parts = token.split(separator: ":").compactMap { Int($0) }
        guard parts.count == 3, parts[0] < 24, parts[1] < 60, parts[2] < 61 else { return nil }
        return parts
    }

    /// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's algorithm).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civilFromDays(_ days: Int) -> (Int, Int, Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }
}
