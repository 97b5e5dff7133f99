import LabelPortCore
import Testing

/// A list answer that goes bad after its first labels arrived: export reports it with
/// the byte, and writes nothing (an earlier backup at the path is left as it was).
@Suite("export of a malformed list answer", .timeLimit(.minutes(2)))
struct MalformedListExportTests {
    static let run = "11111111-1111-4111-8111-111111111111"

    static func label(_ n: Int) -> String {
        #"{"id":"aaaaaaaa-aaaa-4aaa-8aaa-\#(String(repeating: "0", count: 12 - String(n).count))\#(n)","account_id":"acc","run_id":"\#(run)","output_resource_name":"doc-\#(n)","object_value":{"big":9007199254740993,"x":"🐱"},"created_at":"2024-01-01T00:00:00Z"}"#
    }

    @Test("labels, then a broken one: exit 1, the byte named, no file written", arguments: ["jsonl", "csv", "xlsx"])
    func brokenAfterLabels(format: String) async throws {
        let good = (1...50).map(Self.label).joined(separator: ",")
        let body = "[" + good + #",{"id":"x","output_resource_name":"doc-51","object_value":{"a":1,}}]"#
        let brokenAt = body.utf8.count - 3  // the '}' after the trailing comma
        let head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n"
        // In pieces, so the first labels are read before the bad byte arrives.
        var pieces = [head]
        var rest = Substring(body)
        while !rest.isEmpty {
            pieces.append(String(rest.prefix(997)))
            rest = rest.dropFirst(997)
        }
        let trickled = pieces
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let tokenFile = try directory.write("token", "transport-test-token\n")
        let out = try directory.write("backup.\(format)", "an earlier backup\n")
        try await ScriptedHTTPServer.withRunning({ _ in .trickle(trickled, every: .milliseconds(1)) }) { server in
            let result = await runLabelPort([
                "export", "labels", "--run", Self.run, "--out", out,
                "--base-url", "http://127.0.0.1:\(server.port)", "--token-file", tokenFile,
            ])
            #expect(result.status == 1)
            #expect(result.stderr.contains("body is not valid JSON: expected a string key in double quotes, found '}' (at byte \(brokenAt + 1))"), "\(result.stderr)")
        }
        #expect(try FileText.readBytes(out) == Array("an earlier backup\n".utf8))
        #expect(directory.fileNames().sorted() == ["backup.\(format)", "token"])
    }
}
