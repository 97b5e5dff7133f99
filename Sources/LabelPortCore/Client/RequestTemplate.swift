import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import Synchronization

/// The last request built, without its body, kept to build the next one with the same
/// method and URL: an import's creates all go to one run's URL, and parsing it again for
/// each (`HTTPClient.Request.init`) cost 3% of the client's CPU over HTTP/2.
final class RequestTemplate: Sendable {
    private struct Entry {
        var method: HTTPMethod
        var url: String
        var request: HTTPClient.Request
    }

    private let last = Mutex<Entry?>(nil)

    /// A request for `method` and `url` with `headers` and `body`.
    func request(url: String, method: HTTPMethod, headers: HTTPHeaders, body: ByteBuffer?) throws -> HTTPClient.Request {
        var request: HTTPClient.Request
        if let template = last.withLock({ entry in entry.flatMap { $0.method == method && $0.url == url ? $0.request : nil } }) {
            request = template
            request.headers = headers
        } else {
            request = try HTTPClient.Request(url: url, method: method, headers: headers)
            let template = request
            last.withLock { $0 = Entry(method: method, url: url, request: template) }
        }
        request.body = body.map { .byteBuffer($0) }
        return request
    }
}
