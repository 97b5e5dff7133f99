import Testing
@testable import LabelPortCore

@Suite("Planner", .timeLimit(.minutes(10)))
struct PlannerTests {
    static let run = "11111111-1111-1111-1111-111111111111"

    static func label(_ id: String, _ name: String, text: String? = nil, object: JSONValue? = nil, partial: Bool? = nil) -> GoldLabel {
        GoldLabel(id: id, accountID: "acct", runID: run, outputResourceName: name, textValue: text,
                  objectValue: object?.objectValue, objectValueIsPartial: partial, createdAt: "2026-01-01T00:00:00Z")
    }

    static func row(_ line: Int, _ name: String, id: String? = nil, text: String? = nil, object: JSONValue? = nil, partial: Bool? = nil, run: String = run) -> LabelRow {
        LabelRow(line: line, runID: run, outputResourceName: name, id: id, textValue: text, objectValue: object?.objectValue, objectValueIsPartial: partial)
    }

    func planner(_ mode: ImportMode = .upsert, labels: [GoldLabel]) -> Planner {
        var planner = Planner(mode: mode)
        planner.addRun(Self.run, labels: labels)
        return planner
    }

    @Test("upsert: a new name is created, a matching name with a different value is updated, an equal one is unchanged")
    func upsertBasics() {
        var p = planner(labels: [Self.label("a", "doc-1", text: "yes"), Self.label("b", "doc-2", text: "no")])
        let create = p.plan(Self.row(2, "doc-3", text: "maybe"))
        #expect(create.action == .create)
        #expect(create.write == .create(CreateGoldLabelRequest(outputResourceName: "doc-3", textValue: "maybe")))
        let update = p.plan(Self.row(3, "doc-1", text: "no"))
        #expect(update.action == .update)
        #expect(update.write == .update(.existing(id: "a"), UpdateGoldLabelRequest(textValue: "no")))
        #expect(update.changes == [FieldChange(path: "text_value", old: "yes", new: "no")])
        let same = p.plan(Self.row(4, "doc-2", text: "no"))
        #expect(same.action == .unchanged)
        #expect(same.write == nil)
        #expect(same.labelID == "b")
    }

    @Test("values compare by meaning: key order and number spelling are not changes")
    func meaningEquality() throws {
        let server = try JSONParser.parse(#"{"score":1.0,"tags":["a","b"]}"#)
        let file = try JSONParser.parse(#"{"tags":["a","b"],"score":1}"#)
        var p = planner(labels: [Self.label("a", "doc-1", object: server)])
        #expect(p.plan(Self.row(2, "doc-1", object: file)).action == .unchanged)
    }

    @Test("import never clears a field: an absent value leaves the server's, and an update sends the label's values whole")
    func absentKeeps() throws {
        let object = try JSONParser.parse(#"{"k":1}"#)
        var p = planner(labels: [Self.label("a", "doc-1", object: object, partial: true)])
        #expect(p.plan(Self.row(2, "doc-1")).action == .unchanged)
        // The object goes with the flag: a server whose PUT replaces the value fields keeps it too.
        let partialOnly = p.plan(Self.row(3, "doc-1", partial: false))
        #expect(partialOnly.write == .update(.existing(id: "a"), UpdateGoldLabelRequest(objectValue: object.objectValue, objectValueIsPartial: false)))
        let objectOnly = p.plan(Self.row(4, "doc-1", object: try JSONParser.parse(#"{"k":2}"#)))
        #expect(objectOnly.write == .update(.existing(id: "a"), UpdateGoldLabelRequest(objectValue: try JSONParser.parse(#"{"k":2}"#).objectValue, objectValueIsPartial: false)))
    }

    @Test("an id the run holds wins over the name; an unknown id falls back to the name")
    func idMatching() {
        var p = planner(labels: [Self.label("a", "doc-1", text: "x"), Self.label("b", "doc-1", text: "y")])
        let byID = p.plan(Self.row(2, "other", id: "b", text: "z"))
        #expect(byID.write == .update(.existing(id: "b"), UpdateGoldLabelRequest(textValue: "z")))
        #expect(byID.notice == "the label keeps its name \"doc-1\": output_resource_name cannot change", "a new name cannot be applied: the plan says so")
        let renamedOnly = p.plan(Self.row(3, "renamed", id: "a", text: "x"))
        #expect(renamedOnly.action == .unchanged)
        #expect(PlanRenderer(color: false).lines(for: RowOutcome(planned: renamedOnly, status: .planned, labelID: nil, error: nil))
            == ["unchanged \"renamed\" a (line 3, run \(Self.run)) — the label keeps its name \"doc-1\": output_resource_name cannot change"])
        #expect(p.plan(Self.row(4, "doc-1", id: "a", text: "x")).notice == nil)
        let foreignID = p.plan(Self.row(3, "doc-9", id: "99999999-0000-0000-0000-000000000000", text: "n"))
        #expect(foreignID.action == .create)
    }

    @Test("several labels sharing a name are a conflict naming their ids")
    func conflict() {
        var p = planner(labels: [Self.label("a", "doc-1"), Self.label("b", "doc-1")])
        let row = p.plan(Self.row(2, "doc-1", text: "x"))
        #expect(row.action == .conflict)
        #expect(row.plannedStatus == .skipped)
        #expect(row.problem?.contains("a, b") == true)
    }

    @Test("rows for one label plan in file order against each other")
    func fileOrder() {
        var p = planner(labels: [])
        let first = p.plan(Self.row(2, "doc-1", text: "v1"))
        let second = p.plan(Self.row(3, "doc-1", text: "v2"))
        let third = p.plan(Self.row(4, "doc-1", text: "v2"))
        #expect(first.action == .create)
        #expect(second.write == .update(.pending(name: "doc-1"), UpdateGoldLabelRequest(textValue: "v2")))
        #expect(second.changes == [FieldChange(path: "text_value", old: "v1", new: "v2")])
        #expect(third.action == .unchanged)
        #expect(first.key == second.key)
    }

    @Test("setting an object clears the text, and the other way round")
    func exclusivity() throws {
        var p = planner(labels: [Self.label("a", "doc-1", text: "t")])
        let row = p.plan(Self.row(2, "doc-1", object: try JSONParser.parse(#"{"k":"v"}"#)))
        #expect(row.changes.map(\.path) == ["text_value", "object_value"])
    }

    @Test("mode create always creates; mode update fails a row with no match")
    func modes() {
        var create = planner(.create, labels: [Self.label("a", "doc-1", text: "x")])
        #expect(create.plan(Self.row(2, "doc-1", text: "x")).action == .create)
        var update = planner(.update, labels: [Self.label("a", "doc-1", text: "x")])
        let missing = update.plan(Self.row(2, "doc-2", text: "x"))
        #expect(missing.action == .update)
        #expect(missing.plannedStatus == .failed)
        #expect(update.plan(Self.row(3, "doc-1", text: "y")).write == .update(.existing(id: "a"), UpdateGoldLabelRequest(textValue: "y")))
    }

    @Test("rows of a run the server does not have fail")
    func missingRun() {
        var p = Planner(mode: .upsert)
        p.addMissingRun(Self.run)
        let row = p.plan(Self.row(2, "doc-1", text: "x"))
        #expect(row.plannedStatus == .failed)
        #expect(row.problem?.contains("not found") == true)
    }
}

@Suite("Planner memory", .timeLimit(.minutes(10)))
struct PlannerMemoryTests {
    @Test("with repeated labels known, a label named once is not remembered, a repeated one is")
    func repeatedOnly() {
        let run = PlannerTests.run
        var planner = Planner(mode: .upsert)
        planner.addRun(run, labels: [])
        planner.repeatedLabels = [Planner.labelHash(run: run, name: "twice")]
        _ = planner.plan(PlannerTests.row(1, "once", text: "a"))
        _ = planner.plan(PlannerTests.row(2, "twice", text: "a"))
        let again = planner.plan(PlannerTests.row(3, "twice", text: "b"))
        #expect(again.write == .update(.pending(name: "twice"), UpdateGoldLabelRequest(textValue: "b")))
    }
}
