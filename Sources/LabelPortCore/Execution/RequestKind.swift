/// What a request does, which decides when it may be retried.
package enum RequestKind: Sendable, Hashable, CaseIterable {
    /// GET: retried on every retryable error.
    case read
    /// PUT of full values: idempotent, retried like a read.
    case update
    /// POST: retried only when the request surely was not applied (429, connect failed).
    /// An error whose outcome is unknown (5xx, dropped, timeout) is returned at once, so the
    /// caller can re-read the run before deciding to resend: a create is never blindly resent.
    case create
}
