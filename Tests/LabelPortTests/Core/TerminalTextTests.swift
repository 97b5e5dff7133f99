import LabelPortCore
import LabelPortSandbox
import Testing
@testable import LabelPortCLI

/// Label names and values come from files and servers: shown in a message, none of their
/// characters may act on the terminal (set its title, move the cursor, break the line,
/// reverse the text after it).
@Suite("Text from files and servers on a terminal", .timeLimit(.minutes(5)))
struct TerminalTextTests {
    /// A name that sets the window title (OSC … BEL), returns to the line start, breaks the
    /// line, holds DEL and a C1 CSI, and reverses what follows (U+202E).
    static let hostileName = "a\u{1B}]0;owned\u{7}b\rc\nd\u{7F}e\u{9B}f\u{202E}g\"h\\i é"

    @Test("quoted: a JSON string literal with every active character escaped")
    func quoted() {
        #expect(TerminalText.quoted(Self.hostileName) == #""a\u001b]0;owned\u0007b\rc\nd\u007fe\u009bf\u202eg\"h\\i é""#)
        #expect(TerminalText.quoted("plain name") == #""plain name""#)
        // Names that would look alike: zero-width space, word joiner, BOM, soft hyphen, line separator.
        #expect(TerminalText.quoted("in\u{200B}vo\u{2060}i\u{FEFF}c\u{AD}e\u{2028}") == #""in\u200bvo\u2060i\ufeffc\u00ade\u2028""#)
        #expect(TerminalText.quoted("naïve café 日本 🐱") == #""naïve café 日本 🐱""#)
        let long = String(repeating: "é", count: 10_240)
        #expect(TerminalText.quoted(long) == "\"\(long.prefix(200))…\" (10,240 characters)")
        #expect(TerminalText.quoted(String(long.prefix(200))) == "\"\(long.prefix(200))\"")
        let parsed = try? JSONParser.parse(TerminalText.quoted(Self.hostileName))
        #expect(parsed == .string(Self.hostileName), "what is shown reads back as the same name")
    }

    @Test("oneLine: line breaks and tabs as \\n \\r \\t, other active characters as \\u{…}")
    func oneLine() {
        #expect(TerminalText.oneLine("a\r\nb\tc\u{1}d\u{202E}e é") == #"a\r\nb\tc\u{1}d\u{202e}e é"#)
        #expect(TerminalText.oneLine("nothing to do") == "nothing to do")
    }

    @Test("a long cell is quoted in a problem as its first 60 characters and its length")
    func excerpt() throws {
        let long = String(repeating: "0123456789", count: 30)
        #expect(TerminalText.quotedExcerpt(long) == "\"\(long.prefix(60))…\" (300 characters)")
        #expect(TerminalText.quotedExcerpt("1,5") == "\"1,5\"")
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let file = try dir.write("long.csv", "output_resource_name,object_value.n:number\na,\(long)x\n")
        var input = try LabelInput(path: file, displayName: "long.csv", options: LabelInputOptions(runID: TestSandbox.runA))
        var lines: [String] = []
        _ = InputValidator.run(&input) { lines.append($0.description) }
        #expect(lines.first == "long.csv:2:3: object_value.n: \"\(long.prefix(60))…\" (301 characters) is not a number (e.g. 42, -1.5, 2e10; no leading zeros, '+' or thousands separators; --decimal-comma reads 0,75)")
    }

    @Test("import --dry-run and a failed import show hostile names and values escaped, and write them exactly")
    func importLines() async throws {
        let name = JSONWriter().string(.string(Self.hostileName))
        try await ExportFixtures.withSandbox(seed: ImportFixtures.seed()) { sandbox, dir in
            let file = try dir.write("hostile.jsonl", """
                {"output_resource_name": \(name), "text_value": \(name)}

                """)
            let plan = try await ImportFixtures.importFile(file, sandbox, dir, ["--run-id", ImportFixtures.runA, "--dry-run"])
            #expect(plan.status == 0, "\(plan.stderr)")
            let shownName = TerminalText.quoted(Self.hostileName)
            #expect(plan.stdout == """
                Plan: 1 row in 1 run: create 1, update 0, unchanged 0, conflict 0, invalid 0
                create \(shownName) (line 1, run \(ImportFixtures.runA))
                    + text_value: \(shownName)

                """)
            for output in [plan.stdout, plan.stderr] {
                #expect(!output.unicodeScalars.contains { TerminalText.isActive($0) && $0 != "\n" })
            }
            let real = try await ImportFixtures.importFile(file, sandbox, dir, ["--run-id", ImportFixtures.runA])
            #expect(real.status == 0, "\(real.stderr)")
            let stored = ImportFixtures.labelsByName(sandbox)
            #expect(stored.keys.map { Array($0.utf8) } == [Array(Self.hostileName.utf8)])
            #expect(stored.values.first?.textValue.map { Array($0.utf8) } == Array(Self.hostileName.utf8))
        }
    }
}
