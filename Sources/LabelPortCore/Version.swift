public enum LabelPortCoreVersion { public static let string = "0.1.0" }
