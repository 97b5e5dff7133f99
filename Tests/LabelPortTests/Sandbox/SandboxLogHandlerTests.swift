import Logging
import Testing

@testable import LabelPortSandbox

/// The sandbox's log lines: as swift-log's stream handler writes them, metadata sorted.
@Suite("Sandbox log handler")
struct SandboxLogHandlerTests {
    @Test func aLineHasTheTimeLevelLabelMetadataAndMessageAndLevelsBelowAreDropped() throws {
        let lines = Locked<[String]>([])
        var logger = Logger(label: "labelport.sandbox") { label in
            var handler = SandboxLogHandler(label: label, logLevel: .warning)
            handler.write = { bytes in lines.withLock { $0.append(String(decoding: bytes, as: UTF8.self)) } }
            return handler
        }
        logger[metadataKey: "hb.request.id"] = "7"
        var request = logger
        request[metadataKey: "a"] = "1"
        request.info("not logged")
        request.warning("the message", metadata: ["z": "9"])
        logger.error("the first logger's own metadata")
        let got = lines.withLock { $0 }
        #expect(got.count == 2)
        let time = #/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z/#
        let first = try #require(got.first)
        #expect(first.prefixMatch(of: time) != nil)
        #expect(first.drop { $0 != " " } == " warning labelport.sandbox: a=1 hb.request.id=7 z=9 the message\n")
        #expect(got.last?.drop { $0 != " " } == " error labelport.sandbox: hb.request.id=7 the first logger's own metadata\n")
    }
}
