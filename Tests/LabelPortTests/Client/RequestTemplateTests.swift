import AsyncHTTPClient
import NIOCore
import NIOEmbedded
import NIOHTTP1
import Testing

@testable import LabelPortCore

@Suite("Request template")
struct RequestTemplateTests {
    let url = "https://api.example.com/prefix/v1/run/r1/gold-labels"

    @Test func aRequestLikeTheLastKeepsItsURLAndTakesItsOwnHeadersAndBody() throws {
        let template = RequestTemplate()
        var first = HTTPHeaders()
        first.add(name: "X-Request", value: "1")
        let a = try template.request(url: url, method: .POST, headers: first, body: ByteBuffer(string: "one"))
        var second = HTTPHeaders()
        second.add(name: "X-Request", value: "2")
        let b = try template.request(url: url, method: .POST, headers: second, body: ByteBuffer(string: "two"))
        #expect(b.url.absoluteString == url)
        #expect(b.host == "api.example.com" && b.port == 443 && b.method == .POST)
        #expect(b.headers["X-Request"] == ["2"])
        #expect(try bodyText(b) == "two")
        #expect(try bodyText(a) == "one")
    }

    @Test func anotherURLOrMethodIsBuiltAfresh() throws {
        let template = RequestTemplate()
        _ = try template.request(url: url, method: .POST, headers: [:], body: ByteBuffer(string: "{}"))
        let put = try template.request(url: "http://127.0.0.1:8787/v1/run/r1/gold-label/l1", method: .PUT, headers: [:], body: nil)
        #expect(put.url.absoluteString == "http://127.0.0.1:8787/v1/run/r1/gold-label/l1")
        #expect(put.method == .PUT && put.port == 8787 && put.body == nil)
        let get = try template.request(url: "http://127.0.0.1:8787/v1/run/r1/gold-label/l1", method: .GET, headers: [:], body: nil)
        #expect(get.method == .GET)
    }

    @Test func aURLThatCannotBeParsedThrowsAndIsNotKept() throws {
        let template = RequestTemplate()
        #expect(throws: (any Error).self) { try template.request(url: "not a url", method: .GET, headers: [:], body: nil) }
        #expect(throws: (any Error).self) { try template.request(url: "not a url", method: .GET, headers: [:], body: nil) }
    }

    /// The body's bytes, as AsyncHTTPClient would write them.
    private func bodyText(_ request: HTTPClient.Request) throws -> String? {
        guard let body = request.body else { return nil }
        let loop = EmbeddedEventLoop()
        let written = Locked(ByteBuffer())
        try body.stream(.init { data in
            if case .byteBuffer(var buffer) = data { written.withLock { _ = $0.writeBuffer(&buffer) } }
            return loop.makeSucceededVoidFuture()
        }).wait()
        return String(buffer: written.withLock { $0 })
    }
}
