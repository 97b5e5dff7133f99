/// Why a row that needs a write is reported `skipped` without being sent.
enum SkipReason: Sendable, Equatable, CustomStringConvertible {
    /// Ctrl-C.
    case interrupted
    /// More rows failed or were invalid than `--max-errors` allows.
    case tooManyErrors(Int)
    /// A failure that every later write would meet too (a rejected token, an unwritable
    /// journal): its words.
    case cannotContinue(String)
    /// Writes are not allowed on this pass (a plan that must not run, invalid input): the
    /// caller's words, if any.
    case notWritten(String?)

    var description: String {
        switch self {
        case .interrupted: "not attempted: the run was interrupted"
        case .tooManyErrors(let budget): "not attempted: more than \(budget) rows failed or were invalid (--max-errors \(budget))"
        case .cannotContinue(let why): "not attempted: \(why)"
        case .notWritten(let why): why ?? "not written"
        }
    }
}
