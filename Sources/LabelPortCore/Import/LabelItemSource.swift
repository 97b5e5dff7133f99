/// A source of input rows, read once to validate and once to plan and apply.
package protocol LabelItemSource {
    mutating func next() -> LabelInputItem?
}
