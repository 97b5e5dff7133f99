package enum LabelPortCoreVersion { package static let string = "0.1.0" }
