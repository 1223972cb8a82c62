/// One EMV MPM data object: a two-digit id, and its value exactly as it stood in the payload.
/// Templates also carry their parsed children; the raw value is kept so that re-encoding is
/// byte-exact even for objects ChoSo does not understand.
public struct EMVField: Hashable, Sendable, Codable {
    public var id: String
    public var value: String
    /// Present when the value was parsed as a template (26–51, 62, 64, 80–99).
    public var children: [EMVField]?

    public init(id: String, value: String, children: [EMVField]? = nil) {
        self.id = id
        self.value = value
        self.children = children
    }

    /// `id` + two-digit length (in characters) + value.
    public var encoded: String { EMVField.encode(id: id, value: value) }

    public static func encode(id: String, value: String, unit: TLVLengthUnit = .characters) -> String {
        let length = unit == .characters ? value.unicodeScalars.count : value.utf8.count
        return id + (length < 10 ? "0\(length)" : "\(length)") + value
    }

    public func child(_ id: String) -> EMVField? { children?.first { $0.id == id } }
}

/// Where a TLV stream stopped making sense.
public struct TLVError: Error, Hashable, Sendable {
    public enum Kind: Hashable, Sendable {
        case badID, badLength, valueOverrun
    }
    public var kind: Kind
    /// Offset in Unicode scalars from the start of the stream.
    public var offset: Int
}

/// What a TLV length counts. EMVCo's "S" format counts characters; some generators count UTF-8
/// bytes. For ASCII payloads the two agree.
public enum TLVLengthUnit: String, Sendable, Codable {
    case characters
    case utf8Bytes = "utf8-bytes"
}

/// Reads a run of EMV data objects.
public enum TLVReader {
    public static func read(_ text: String, unit: TLVLengthUnit = .characters) -> Result<[EMVField], TLVError> {
        switch unit {
        case .characters:
            return read(Array(text.unicodeScalars)[...], baseOffset: 0)
        case .utf8Bytes:
            // Each byte stands in as a scalar so that one reader serves both units; values are
            // decoded back from UTF-8 afterwards, and a value that splits a character fails.
            let bytes = Array(text.utf8).map { Unicode.Scalar($0) }
            return read(bytes[...], baseOffset: 0).flatMap { fields in
                var decoded: [EMVField] = []
                for field in fields {
                    let raw = field.value.unicodeScalars.map { UInt8($0.value) }
                    guard let value = String(validating: raw, as: UTF8.self) else {
                        return .failure(TLVError(kind: .valueOverrun, offset: 0))
                    }
                    decoded.append(EMVField(id: field.id, value: value))
                }
                return .success(decoded)
            }
        }
    }

    static func read(_ scalars: ArraySlice<Unicode.Scalar>, baseOffset: Int) -> Result<[EMVField], TLVError> {
        var fields: [EMVField] = []
        var index = scalars.startIndex
        while index < scalars.endIndex {
            let offset = baseOffset + (index - scalars.startIndex)
            guard scalars.endIndex - index >= 4 else { return .failure(TLVError(kind: .badID, offset: offset)) }
            guard let id = twoDigits(scalars, at: index) else { return .failure(TLVError(kind: .badID, offset: offset)) }
            guard let length = Int(twoDigits(scalars, at: index + 2) ?? ""), length > 0 else {
                return .failure(TLVError(kind: .badLength, offset: offset + 2))
            }
            let valueStart = index + 4
            guard scalars.endIndex - valueStart >= length else {
                return .failure(TLVError(kind: .valueOverrun, offset: offset + 4))
            }
            var value = ""
            value.unicodeScalars.append(contentsOf: scalars[valueStart..<(valueStart + length)])
            fields.append(EMVField(id: id, value: value))
            index = valueStart + length
        }
        return .success(fields)
    }

    private static func twoDigits(_ scalars: ArraySlice<Unicode.Scalar>, at index: Int) -> String? {
        let first = scalars[index], second = scalars[index + 1]
        guard ("0"..."9").contains(first), ("0"..."9").contains(second) else { return nil }
        return String(Character(first)) + String(Character(second))
    }
}

/// Writes data objects back; `encode(parse(x)) == x` for every payload the reader accepts.
public enum TLVWriter {
    public static func encode(_ fields: [EMVField], unit: TLVLengthUnit = .characters) -> String {
        fields.map { EMVField.encode(id: $0.id, value: $0.value, unit: unit) }.joined()
    }
}
