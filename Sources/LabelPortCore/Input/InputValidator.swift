/// Reads a whole input and reports every problem: what `labelport validate` runs, and
/// what import runs before its first write.
public enum InputValidator {
    public struct Summary: Sendable, Equatable {
        /// Data rows read (valid and invalid; not the CSV header).
        public var rows = 0
        public var invalidRows = 0
        public var errors = 0
        public var warnings = 0

        public init() {}

        /// `1,000 rows, no problems` / `2 problems in 1,000 rows` (with warnings counted apart).
        public var line: String {
            let rowsText = "\(Summary.grouped(rows)) \(rows == 1 ? "row" : "rows")"
            let warningText = warnings == 0 ? "" : " (\(Summary.grouped(warnings)) \(warnings == 1 ? "warning" : "warnings"))"
            if errors == 0 { return "\(rowsText), no problems\(warningText)" }
            return "\(Summary.grouped(errors)) \(errors == 1 ? "problem" : "problems") in \(rowsText)\(warningText)"
        }

        static func grouped(_ n: Int) -> String {
            let digits = Array(String(n))
            var text = ""
            for (i, d) in digits.enumerated() {
                if i > 0, (digits.count - i) % 3 == 0 { text.append(",") }
                text.append(d)
            }
            return text
        }
    }

    /// Reads `input` to the end, handing every diagnostic (warnings included) to `report`
    /// in file order, and counts rows and problems.
    public static func run(_ input: inout LabelInput, report: (Diagnostic) -> Void) -> Summary {
        var summary = Summary()
        var warningsSeen = 0
        while true {
            let item = input.next()
            // Warnings are rare: look only at the count, without copying the input.
            if input.warnings.count > warningsSeen {
                for warning in input.warnings[warningsSeen...] { report(warning) }
                summary.warnings += input.warnings.count - warningsSeen
                warningsSeen = input.warnings.count
            }
            guard let item else { break }
            switch item {
            case .row:
                summary.rows += 1
            case .invalid(_, let diagnostics, let record):
                if record != nil {
                    summary.rows += 1
                    summary.invalidRows += 1
                }
                for diagnostic in diagnostics {
                    report(diagnostic)
                    if diagnostic.severity == .error { summary.errors += 1 } else { summary.warnings += 1 }
                }
            }
        }
        return summary
    }
}
