import Foundation

/// The committed fixture files, read from the test bundle's resources (Package.swift
/// copies `Fixtures/` into it), not from the source tree.
enum Fixtures {
    /// The folder `Fixtures/NAME/`, with a trailing slash.
    static func directory(_ name: String) -> String {
        guard let url = Bundle.module.url(forResource: "Fixtures", withExtension: nil) else {
            fatalError("the test bundle has no Fixtures folder: check resources in Package.swift")
        }
        return url.appendingPathComponent(name).path + "/"
    }
}
