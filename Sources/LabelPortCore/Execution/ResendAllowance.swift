/// How often one request the server did not process (closed before it was processed, or,
/// for a create, cut off unanswered and then not found in its run) is sent again without
/// spending a retry: while the server answers other requests in between, up to
/// ``RequestExecutor/unprocessedResendsInAll`` times in all; with no answer in between,
/// ``RequestExecutor/unprocessedResends`` times in a row. A server that ends every
/// connection after a few requests answers others meanwhile; one that refuses everything
/// is given up on.
struct ResendAllowance {
    private var inARow = 0
    private var inAll = 0
    private var answersAtLast = -1

    /// Takes one resend if any is left; `answers` counts the server's answers so far (the
    /// progress that starts the count in a row again).
    mutating func take(answers: Int) -> Bool {
        if answers != answersAtLast { (inARow, answersAtLast) = (0, answers) }
        guard inARow < RequestExecutor.unprocessedResends, inAll < RequestExecutor.unprocessedResendsInAll else { return false }
        inARow += 1
        inAll += 1
        return true
    }
}
