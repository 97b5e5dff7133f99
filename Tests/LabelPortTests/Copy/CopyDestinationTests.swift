import Testing
@testable import LabelPortCore

/// A copy reads its destination against its source (``CopyDestination``) and verifies it
/// as the answer arrives (``CopyVerifier``), keeping little of it: these check that the
/// plan and the verification are exactly what they are with the whole destination kept.
@Suite("copy: destination read against the source", .timeLimit(.minutes(2)))
struct CopyDestinationTests {
    static let sourceRun = "5a000000-0000-4000-8000-000000000001"
    static let destinationRun = "5d000000-0000-4000-8000-000000000002"

    /// A label of a list answer; `values` ends with a comma.
    static func label(_ run: String, _ id: String, _ name: String, _ values: String) -> String {
        #"{"id":"\#(id)","account_id":"acct","run_id":"\#(run)","output_resource_name":"\#(name)",\#(values)"created_at":"2024-01-01T00:00:00Z","updated_at":"2024-01-02T00:00:00Z"}"#
    }

    static let source: [String] = [
        label(sourceRun, "50000000-0000-4000-8000-000000000001", "same-object", #""object_value":{"b":1,"a":[1,2]},"object_value_is_partial":false,"#),
        label(sourceRun, "50000000-0000-4000-8000-000000000002", "same-text", #""text_value":"hello","#),
        label(sourceRun, "50000000-0000-4000-8000-000000000003", "spelled", #""object_value":{"n":1.50},"#),
        label(sourceRun, "50000000-0000-4000-8000-000000000004", "changed", #""object_value":{"n":1},"#),
        label(sourceRun, "50000000-0000-4000-8000-000000000005", "twice-in-destination", #""object_value":{"x":1},"#),
        label(sourceRun, "50000000-0000-4000-8000-000000000006", "text-and-object", #""text_value":"t","object_value":{"o":1},"#),
        label(sourceRun, "50000000-0000-4000-8000-000000000007", "escaped", #""text_value":"line\nbreak \"quoted\"","#),
        label(sourceRun, "50000000-0000-4000-8000-000000000008", "missing", #""text_value":"new","#),
        label(sourceRun, "50000000-0000-4000-8000-000000000009", "repeated", #""text_value":"r","#),
        label(sourceRun, "50000000-0000-4000-8000-00000000000a", "repeated", #""text_value":"r","#),
        label(sourceRun, "50000000-0000-4000-8000-00000000000b", "partial-absent", #""object_value":{"k":"v"},"#),
        label(sourceRun, "50000000-0000-4000-8000-00000000000c", "null-values", #""text_value":"n","object_value":null,"object_value_is_partial":null,"#),
    ]

    static let destination: [String] = [
        label(destinationRun, "d0000000-0000-4000-8000-000000000001", "same-object", #""object_value":{"a":[1,2],"b":1},"object_value_is_partial":false,"#),
        label(destinationRun, "d0000000-0000-4000-8000-000000000002", "same-text", #""text_value":"hello","#),
        label(destinationRun, "d0000000-0000-4000-8000-000000000003", "spelled", #""object_value":{"n":1.5},"#),
        label(destinationRun, "d0000000-0000-4000-8000-000000000004", "changed", #""object_value":{"n":2},"#),
        label(destinationRun, "d0000000-0000-4000-8000-000000000005", "twice-in-destination", #""object_value":{"x":1},"#),
        label(destinationRun, "d0000000-0000-4000-8000-000000000006", "only-in-destination", #""text_value":"kept","#),
        label(destinationRun, "d0000000-0000-4000-8000-000000000007", "twice-in-destination", #""object_value":{"x":2},"#),
        label(destinationRun, "d0000000-0000-4000-8000-000000000008", "text-and-object", #""text_value":"t","object_value":{"o":1},"#),
        label(destinationRun, "d0000000-0000-4000-8000-000000000009", "escaped", #""text_value":"line\nbreak \"quoted\"","#),
        label(destinationRun, "d0000000-0000-4000-8000-00000000000a", "repeated", #""text_value":"r","#),
        label(destinationRun, "d0000000-0000-4000-8000-00000000000b", "partial-absent", #""object_value":{"k":"v"},"object_value_is_partial":false,"#),
        label(destinationRun, "d0000000-0000-4000-8000-00000000000c", "null-values", #""text_value":"n","#),
    ]

    /// `labels` as one list answer, read into `collector` as the client reads it.
    static func read<Collector: GoldLabelCollector>(_ labels: [String], into collector: Collector) throws -> Collector {
        var collector = collector
        var reader = GoldLabelListReader()
        let answer = Array(("[" + labels.joined(separator: ",\n") + "]").utf8)
        try answer.withUnsafeBytes { try reader.feed($0, into: &collector) }
        try reader.finish()
        return collector
    }

    static func sourceRunLabels() throws -> CompactRun {
        try read(source, into: StoredLabels.Collector()).finish()
    }

    /// Every row of `rows` planned as the import engine plans it.
    static func plan(_ rows: inout CopyRows, _ planner: inout Planner) -> [PlannedRow] {
        planner.repeatedLabels = rows.repeatedLabels
        var planned: [PlannedRow] = []
        while let item = rows.next() {
            switch item {
            case .row(let row, _): planned.append(planner.plan(row))
            case .unchanged(let row, let labelID, _): planned.append(planner.planUnchanged(row, labelID: labelID))
            case .invalid: Issue.record("a copy row is never invalid")
            }
        }
        return planned
    }

    /// The plan with the whole destination kept, and with it read against the source.
    static func plans(_ mode: ImportMode) throws -> (whole: [PlannedRow], setAside: [PlannedRow], unchanged: Int) {
        let source = try sourceRunLabels()
        var wholePlanner = Planner(mode: mode)
        wholePlanner.addRun(destinationRun, labels: try read(destination, into: CompactRun.Builder(body: .asSent)).finish())
        var wholeRows = CopyRows(source: source, destinationRun: destinationRun)
        let whole = plan(&wholeRows, &wholePlanner)

        let collected = try read(destination, into: CopyDestination(source: CompactRunIndex(source), mode: mode))
        var planner = Planner(mode: mode)
        planner.addRun(destinationRun, labels: collected.finish())
        var rows = CopyRows(source: source, destinationRun: destinationRun, destination: collected)
        var counting = rows
        var unchanged = 0
        while let item = counting.next() { if case .unchanged = item { unchanged += 1 } }
        return (whole, plan(&rows, &planner), unchanged)
    }

    static func expectSame(_ a: [PlannedRow], _ b: [PlannedRow]) {
        #expect(a.count == b.count)
        for (x, y) in zip(a, b) {
            let name = x.outputResourceName ?? ""
            #expect(x.sequence == y.sequence && x.line == y.line && x.runID == y.runID && x.outputResourceName == y.outputResourceName, "\(name)")
            #expect(x.action == y.action, "\(name)")
            #expect(x.write == y.write, "\(name)")
            #expect(x.labelID == y.labelID, "\(name)")
            #expect(x.changes == y.changes, "\(name)")
            #expect(x.problem == y.problem, "\(name)")
            #expect(x.key == y.key, "\(name)")
            #expect(x.laterRowsNeedID == y.laterRowsNeedID && x.follows == y.follows, "\(name)")
            #expect(x.before == y.before && x.after == y.after && x.beforeUpdatedAt == y.beforeUpdatedAt, "\(name)")
            #expect(x.sameNameIDs == y.sameNameIDs, "\(name)")
        }
    }

    @Test("labels the destination holds as they are copied are kept as ids only; the plan is the same as with the whole destination")
    func samePlan() throws {
        let (whole, setAside, unchanged) = try Self.plans(.upsert)
        Self.expectSame(whole, setAside)
        // same-object (another key order), same-text, null-values; not the rest.
        #expect(unchanged == 3)
        let actions = Dictionary(uniqueKeysWithValues: setAside.filter { $0.outputResourceName != "repeated" }.map { ($0.outputResourceName!, $0.action) })
        #expect(actions == [
            "same-object": .unchanged, "same-text": .unchanged, "spelled": .unchanged, "changed": .update,
            "twice-in-destination": .conflict, "text-and-object": .update, "escaped": .unchanged, "missing": .create,
            "partial-absent": .unchanged, "null-values": .unchanged,
        ])
        let conflict = setAside.first { $0.outputResourceName == "twice-in-destination" }
        #expect(conflict?.problem?.contains("d0000000-0000-4000-8000-000000000005, d0000000-0000-4000-8000-000000000007") == true)
        #expect(setAside.first { $0.outputResourceName == "same-object" }?.labelID == "d0000000-0000-4000-8000-000000000001")
    }

    @Test("--mode create and update plan as with the whole destination (create sets nothing aside)")
    func otherModes() throws {
        let create = try Self.plans(.create)
        Self.expectSame(create.whole, create.setAside)
        #expect(create.unchanged == 0)
        let update = try Self.plans(.update)
        Self.expectSame(update.whole, update.setAside)
        #expect(update.unchanged == 3)
    }

    @Test("verification as the answer arrives: missing, changed, duplicated and ambiguous names; spelling and key order are no difference")
    func verification() throws {
        let source = CompactRunIndex(try Self.sourceRunLabels())
        let verifier = try Self.read(Self.destination, into: CopyVerifier(source: source, sourceRun: Self.sourceRun, destinationRun: Self.destinationRun))
        func difference(_ name: String, _ kind: CopyDifference.Kind) -> CopyDifference {
            CopyDifference(sourceRun: Self.sourceRun, destinationRun: Self.destinationRun, outputResourceName: name, kind: kind)
        }
        #expect(verifier.finish() == [
            difference("changed", .changed(id: "d0000000-0000-4000-8000-000000000004", [FieldChange(path: "object_value.n", old: 1, new: 2)])),
            difference("missing", .missing),
            difference("partial-absent", .changed(id: "d0000000-0000-4000-8000-00000000000b", [FieldChange(path: "object_value_is_partial", old: nil, new: false)])),
            difference("repeated", .ambiguousSource(count: 2)),
            difference("twice-in-destination", .duplicated(ids: ["d0000000-0000-4000-8000-000000000005", "d0000000-0000-4000-8000-000000000007"])),
        ])
    }
}

@Suite("copy: values compared as text", .timeLimit(.minutes(1)))
struct CopyValueMatcherTests {
    /// A destination label as the server sends it, and the stored source label with the
    /// same values (object keys in another order) or with one value changed.
    @Test("the same values in another key order match as text; a changed value does not")
    func sameText() throws {
        let text = #"{"id":"d1","account_id":"a","run_id":"r","output_resource_name":"n","object_value":{"b":[1,{"y":2,"x":1}],"a":"é"},"object_value_is_partial":false,"created_at":"t"}"#
        let same = LabelValues(objectValue: try #require(JSONParser.parse(#"{"a":"é","b":[1,{"x":1,"y":2}]}"#).objectValue), objectValueIsPartial: false)
        let changed = LabelValues(objectValue: same.objectValue, objectValueIsPartial: true)
        var builder = CompactRun.Builder(body: .asSent)
        for values in [same, changed] {
            StoredLabels.add(StoredLabel(runID: "r", id: "s", outputResourceName: "n", values: values), to: &builder)
        }
        let source = builder.finish()
        #expect(StoredLabels.storedLabel(source, 0).values == same)
        var scanner = GoldLabelScanner()
        var matcher = CopyValueMatcher()
        let bytes = Array(text.utf8)
        let results = bytes.withUnsafeBytes { raw in
            scanner.scan(raw) { label in [0, 1].map { matcher.sameText(label, as: $0, of: source) } }
        }
        #expect(results == [true, false])
    }

    @Test("a partial flag null in the source and set in the destination: the difference says copying cannot fix it")
    func unclearablePartialFlag() {
        let renderer = DiffRenderer(color: false)
        let flag = CopyDifference(sourceRun: "s", destinationRun: "d", outputResourceName: "doc", kind: .changed(id: "i", [
            FieldChange(path: "object_value_is_partial", old: nil, new: .bool(true)),
        ]))
        #expect(flag.lines(renderer).first == #"differs "doc" i (run d), source → destination (the API cannot set object_value_is_partial back to null: copying again cannot make them equal):"#)
        let value = CopyDifference(sourceRun: "s", destinationRun: "d", outputResourceName: "doc", kind: .changed(id: "i", [
            FieldChange(path: "object_value.k", old: nil, new: .bool(true)),
        ]))
        #expect(value.lines(renderer).first == #"differs "doc" i (run d), source → destination:"#)
    }
}
