/// One problem with one field of a form or API body, with a stable code for programs and a
/// message for people. Validation collects all of them so the user fixes everything at once.
public struct FieldError: Hashable, Sendable, Error {
    public var field: String
    public var code: String
    public var message: LocalizedText

    public init(field: String, code: String, message: LocalizedText) {
        self.field = field
        self.code = code
        self.message = message
    }
}

/// The outcome of validating an input: the cleaned value or every problem found.
public enum Validated<Value: Sendable>: Sendable {
    case valid(Value)
    case invalid([FieldError])

    public var errors: [FieldError] {
        if case .invalid(let errors) = self { return errors }
        return []
    }

    public func get() throws(ValidationFailure) -> Value {
        switch self {
        case .valid(let value): return value
        case .invalid(let errors): throw ValidationFailure(errors: errors)
        }
    }
}

/// Thrown when an input is rejected; carries every field problem.
public struct ValidationFailure: Error, Sendable, Hashable {
    public var errors: [FieldError]
    public init(errors: [FieldError]) { self.errors = errors }
    public init(_ error: FieldError) { self.errors = [error] }
}
