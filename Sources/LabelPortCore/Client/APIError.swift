/// A failed API call, printable without secrets.
///
/// The ``Kind`` says what the caller may do next: whether to retry, and whether a write
/// may have been applied although no answer arrived (``outcomeUnknown``).
package struct APIError: Error, Sendable, Equatable, CustomStringConvertible {
    package enum Kind: Sendable, Equatable {
        /// 400: the server rejected the request body.
        case badRequest
        /// 401: the token was missing or rejected.
        case unauthorized
        /// 403: the token may not do this.
        case forbidden
        /// 404: the run, label or evaluation does not exist for this account.
        case notFound
        /// 429: slow down; see ``APIError/retryAfter``.
        case throttled
        /// 5xx: the server failed; a write may or may not have been applied.
        case serverError
        /// Any other unexpected status.
        case unexpectedStatus
        /// No connection could be made (refused, timed out, unreachable): the request was never sent.
        case connectFailed
        /// The server's host name does not resolve: never sent, not worth retrying.
        case hostNotFound
        /// The server's certificate was not accepted: never sent, not retried.
        case certificateRejected
        /// The proxy refused the tunnel or wants credentials: never sent, not retried.
        case proxyFailed
        /// A 3xx: the base URL points somewhere else (``APIError/detail`` says where). Not followed.
        case redirected
        /// The connection closed after the request was sent, before a full answer.
        case connectionDropped
        /// No full answer within the request timeout.
        case timeout
        /// The answer was not what the API documents (not JSON, wrong shape).
        case invalidResponse
        /// The call was cancelled (Ctrl-C).
        case cancelled
        /// Not sent: the server's quota (rate-limit headers) resets later than labelport waits.
        case quotaSpent
    }

    package var kind: Kind
    /// What was being done, e.g. "create gold label \"doc-1\" in run 3f0c…".
    package var operation: String
    /// The HTTP status, when an answer arrived.
    package var status: Int?
    /// The server's `error` text, or a transport detail.
    package var detail: String?
    package var retryAfter: RetryAfter?
    /// The answer's rate-limit headers, when it had any.
    package var rateLimit: RateLimitHeaders?
    /// For a 401: where the rejected token came from (``APIToken/source``).
    package var tokenSource: String?
    /// The server closed the connection before processing the request (an HTTP/2 stream
    /// it refused): it was never applied, and is sent again on a new connection at once,
    /// without spending a retry (see ``RequestExecutor``).
    package var unprocessed = false
    /// An HTTP/2 stream ended with CANCEL before any answer: how a stream above the last
    /// one a server's GOAWAY says it processed is closed (nginx's requests-per-connection
    /// limit), but also how a server or proxy may cancel a request it did process. Its
    /// outcome is unknown: a read or an update (safe to repeat) is sent again at once as an
    /// ``unprocessed`` one is; a create is settled by reading its run first, and spends a
    /// retry as any create of unknown outcome does.
    package var cancelledBeforeAnswer = false

    /// Whether this failure is sent again at once, without spending a retry, for a request of `kind`.
    package func resentAtOnce(_ kind: RequestKind) -> Bool {
        unprocessed || (cancelledBeforeAnswer && kind != .create)
    }
    /// A 404 whose body is not the API's JSON error (an HTML page, plain text): most
    /// likely no API at that path, so the base URL is wrong, not the run or label id.
    package var notFoundPage = false
    /// What to check after a ``notFoundPage`` 404.
    package static let baseURLAdvice = "the answer is a page, not the API's error: check --base-url and its path prefix (such as /api)"

    package init(kind: Kind, operation: String, status: Int? = nil, detail: String? = nil, retryAfter: RetryAfter? = nil) {
        self.kind = kind
        self.operation = operation
        self.status = status
        self.detail = detail
        self.retryAfter = retryAfter
    }

    /// Worth trying again: throttling, server errors, timeouts and transport failures.
    /// 400, 401, 403 and 404 are final.
    package var isRetryable: Bool {
        switch kind {
        case .throttled, .serverError, .connectFailed, .connectionDropped, .timeout: true
        case .badRequest, .unauthorized, .forbidden, .notFound, .unexpectedStatus, .invalidResponse, .cancelled,
            .hostNotFound, .certificateRejected, .proxyFailed, .redirected, .quotaSpent:
            false
        }
    }

    /// A write that ended this way may have been applied by the server: re-read before
    /// resending it.
    package var outcomeUnknown: Bool {
        switch kind {
        case .serverError, .connectionDropped, .timeout, .invalidResponse, .cancelled: true
        default: false
        }
    }

    /// This error, saying that the server's `Retry-After` asked for more than `limit`,
    /// the longest labelport waits.
    func waitingLongerThan(_ limit: Duration) -> APIError {
        var copy = self
        copy.exceededWait = limit
        return copy
    }

    /// Set when the server asked for a longer wait than labelport allows.
    var exceededWait: Duration?

    /// Not retried though `--retries` allowed more: the run's retry budget was spent.
    package var retryBudgetSpent: RetryBudget.Refusal?

    /// The description without the operation it names: what happened.
    package var reason: String {
        let text = description
        let prefix = operation + ": "
        return text.hasPrefix(prefix) ? String(text.dropFirst(prefix.count)) : text
    }

    package var description: String {
        var text: String
        switch kind {
        case .badRequest: text = "\(operation): the server rejected the request (400)"
        case .unauthorized: text = "\(operation): the API token was rejected (401); check \(tokenSource ?? "REFACTOR_API_TOKEN or --token-file")"
        case .forbidden: text = "\(operation): the API token may not do this (403)"
        case .notFound: text = "\(operation): not found (404)"
        case .throttled: text = "\(operation): throttled by the server (429)"
        case .serverError: text = "\(operation): server error (\(status ?? 500))"
        case .unexpectedStatus where status == 413: text = "\(operation): the request is larger than the server, or a proxy in front of it, accepts (413)"
        case .unexpectedStatus: text = "\(operation): unexpected HTTP status \(status ?? 0)"
        case .connectFailed, .hostNotFound, .certificateRejected, .proxyFailed, .connectionDropped, .timeout:
            // The detail is the whole sentence (NetworkFailure).
            text = "\(operation)"
        case .redirected: text = "\(operation): the server answered with a redirect (\(status ?? 300))"
        case .invalidResponse: text = "\(operation): the server's answer was not valid"
        case .cancelled: text = "\(operation): cancelled"
        case .quotaSpent: text = "\(operation): not sent"
        }
        if let detail, !detail.isEmpty { text += ": \(detail)" }
        if notFoundPage { text += "; \(Self.baseURLAdvice)" }
        switch retryBudgetSpent {
        case .noAnswers(let attempts)?:
            text += "; not retried further: none of the last \(attempts) attempts got a whole answer from the server (none at all, or one cut off), so labelport stopped retrying until one does"
        case .tooManyFailed?:
            text += "; not retried further: so many of this run's requests failed that labelport stopped retrying, to spare a failing server (a higher --retries allows more)"
        case nil: break
        }
        if let retryAfter, kind == .throttled || kind == .serverError {
            text += "; the server asked to wait \(retryAfter.spoken) before retrying"
            if let exceededWait { text += ", longer than labelport waits (\(RetryAfter.seconds(Int(exceededWait.components.seconds)).spoken)), so it gave up: try again later" }
        }
        return text
    }
}
