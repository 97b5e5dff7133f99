import Testing
@testable import LabelPortCore

@Suite("Reading a run for import keeps only the labels its rows name", .timeLimit(.minutes(2)))
struct LabelKeyFilterTests {
    static let run = PlannerTests.run

    /// A list answer of `count` labels named doc-N, plus two that share a name, one whose
    /// name is written with an escape (read by the parser, not the scanner) and one whose
    /// id is in upper case.
    static func answer(count: Int) -> [UInt8] {
        var items: [String] = (0..<count).map { n in
            #"{"id":"00000000-0000-4000-8000-\#(String(format: "%012d", n))","account_id":"a","run_id":"\#(run)","output_resource_name":"doc-\#(n)","text_value":"v\#(n)","created_at":"2026-01-01T00:00:00Z"}"#
        }
        items.append(#"{"id":"aaaaaaaa-0000-4000-8000-000000000001","account_id":"a","run_id":"\#(run)","output_resource_name":"twice","text_value":"1","created_at":"2026-01-01T00:00:00Z"}"#)
        items.append(#"{"id":"aaaaaaaa-0000-4000-8000-000000000002","account_id":"a","run_id":"\#(run)","output_resource_name":"twice","text_value":"2","created_at":"2026-01-01T00:00:00Z"}"#)
        items.append(#"{"id":"bbbbbbbb-0000-4000-8000-000000000001","account_id":"a","run_id":"\#(run)","output_resource_name":"caf\u00e9","object_value":{"k":1},"created_at":"2026-01-01T00:00:00Z"}"#)
        items.append(#"{"id":"CCCCCCCC-0000-4000-8000-000000000001","account_id":"a","run_id":"\#(run)","output_resource_name":"upper","text_value":"u","created_at":"2026-01-01T00:00:00Z"}"#)
        return Array(("[" + items.joined(separator: ",") + "]").utf8)
    }

    static func rows() throws -> [LabelRow] {
        [
            PlannerTests.row(2, "doc-7", text: "changed"),
            PlannerTests.row(3, "doc-8", text: "v8"),
            PlannerTests.row(4, "renamed", id: "00000000-0000-4000-8000-000000000009", text: "by id"),
            PlannerTests.row(5, "whatever", id: "cccccccc-0000-4000-8000-000000000001", text: "u2"),
            PlannerTests.row(6, "twice", text: "3"),
            PlannerTests.row(7, "café", object: try JSONParser.parse(#"{"k":2}"#)),
            PlannerTests.row(8, "new-name", text: "n"),
            PlannerTests.row(9, "doc-10", id: "99999999-0000-4000-8000-000000000000", text: "foreign id, known name"),
        ]
    }

    static func read(_ filter: LabelKeyFilter?) throws -> CompactRunIndex {
        try GoldLabelListReaderTests.streamed(answer(count: 500), cuts: [1000, 1001, 50_000], into: CompactRunIndex.Builder(keeping: filter)).get().finish()
    }

    /// What the plan says of a row, for comparing two plans.
    static func described(_ row: PlannedRow) -> String {
        "\(row.line) \(row.action) \(String(describing: row.write)) \(row.labelID ?? "-") \(row.problem ?? "-") \(row.notice ?? "-") \(row.sameNameIDs) \(row.changes)"
    }

    static func plans(_ mode: ImportMode, _ index: CompactRunIndex) throws -> [String] {
        var planner = Planner(mode: mode)
        planner.addRun(run, index: index)
        return try rows().map { described(planner.plan($0)) }
    }

    @Test("the filtered run holds just the labels named by the rows' names and ids, and every mode plans the rows as from the whole run")
    func sameLabelsSamePlans() throws {
        var filter = LabelKeyFilter()
        for row in try Self.rows() { filter.insert(row) }
        let whole = try Self.read(nil)
        let kept = try Self.read(filter)
        #expect(whole.run.count == 504)
        let names = kept.run.indices.map(kept.run.outputResourceName).sorted()
        #expect(names == ["café", "doc-10", "doc-7", "doc-8", "doc-9", "twice", "twice", "upper"])
        for mode in [ImportMode.upsert, .create, .update] {
            #expect(try Self.plans(mode, kept) == Self.plans(mode, whole))
        }
        // The plans say what they should (not merely the same thing twice).
        let upsert = try Self.plans(.upsert, kept)
        #expect(upsert[0].contains("update"))
        #expect(upsert[1].contains("unchanged"))
        #expect(upsert[3].contains("CCCCCCCC-0000-4000-8000-000000000001"))
        #expect(upsert[4].contains("conflict"))
        #expect(upsert[6].contains("create"))
    }

    @Test("a filter of more keys than it keeps gives up and keeps every label")
    func tooManyKeys() throws {
        var filter = LabelKeyFilter()
        filter.insert(name: "doc-1")
        #expect(!filter.keepsAll)
        #expect(try Self.read(filter).run.count == 1)
        for n in 0..<(LabelKeyFilter.maximumKeys + 100) { filter.insert(name: "other-\(n)") }  // 32-bit hashes may coincide
        #expect(filter.keepsAll)
        #expect(try Self.read(filter).run.count == 504)
    }

    @Test("import's first pass collects each run's names and ids (after --remap-run); validate's does not")
    func validatorCollects() throws {
        let other = "22222222-2222-4222-8222-222222222222"
        let text = "run_id,output_resource_name,id,text_value\n\(Self.run),doc-1,,x\n\(Self.run),doc-2,00000000-0000-4000-8000-000000000003,y\n"
        var first = LabelInput(bytes: Array(text.utf8), displayName: "rows.csv", options: LabelInputOptions())
        let summary = InputValidator.run(&first, remapRuns: [Self.run: other], keyFilters: true) { _ in }
        #expect(Array(summary.keyFilters.keys) == [other])
        var expected = LabelKeyFilter()
        expected.insert(name: "doc-1")
        expected.insert(name: "doc-2")
        expected.insert(id: "00000000-0000-4000-8000-000000000003")
        #expect(summary.keyFilters[other] == expected)
        var again = LabelInput(bytes: Array(text.utf8), displayName: "rows.csv", options: LabelInputOptions())
        #expect(InputValidator.run(&again) { _ in }.keyFilters.isEmpty)
    }
}
