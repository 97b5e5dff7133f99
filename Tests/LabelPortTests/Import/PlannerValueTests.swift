import Testing
@testable import LabelPortCore

/// The planner is a value over run snapshots it owns: a copy plans on by itself, and
/// the compact snapshot finds labels by id (letter case aside) and by exact name.
@Suite("Planner as a value", .timeLimit(.minutes(1)))
struct PlannerValueTests {
    typealias T = PlannerTests

    @Test("a copy's plans do not change what the original planner knows")
    func copiesDoNotAlias() {
        var original = Planner(mode: .upsert)
        original.addRun(T.run, labels: [T.label("a", "doc-1", text: "old")])
        var copy = original
        #expect(copy.plan(T.row(2, "doc-1", text: "new")).action == .update)
        #expect(copy.plan(T.row(3, "doc-1", text: "new")).action == .unchanged)
        #expect(copy.plan(T.row(4, "doc-9", text: "x")).action == .create)
        // The original still sees the server's values and no planned create.
        #expect(original.plan(T.row(2, "doc-1", text: "new")).action == .update)
        let created = original.plan(T.row(4, "doc-9", text: "x"))
        #expect(created.action == .create)
        #expect(created.key == .name(run: T.run, "doc-9"))
    }

    @Test("ids match whatever their case; names match by exact bytes only")
    func matching() {
        var planner = Planner(mode: .upsert)
        let id = "AAAAAAAA-aaaa-4aaa-8aaa-aaaaaaaaaaaa"
        planner.addRun(T.run, labels: [T.label(id, "café", text: "x"), T.label("b", "cafe\u{301}", text: "y")])
        let byID = planner.plan(T.row(2, "other", id: id.lowercased(), text: "z"))
        #expect(byID.action == .update)
        #expect(byID.labelID == id)
        #expect(byID.key == .id(run: T.run, id))
        let precomposed = planner.plan(T.row(3, "café", text: "x2"))
        #expect(precomposed.write == .update(.existing(id: id), UpdateGoldLabelRequest(textValue: "x2")))
        let decomposed = planner.plan(T.row(4, "cafe\u{301}", text: "y"))
        #expect(decomposed.action == .unchanged)
        #expect(decomposed.labelID == "b")
    }
}
