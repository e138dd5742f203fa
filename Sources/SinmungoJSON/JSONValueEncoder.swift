/// Turns any `Encodable` into a `JSONValue`, for rows stored as JSON: Foundation's
/// `JSONEncoder` spends most of its time on machinery this format does not need.
///
/// Numbers are integers only, as everywhere in the log format: a `Double` or `Float` that is not
/// a whole number within `Int64`, or a `UInt64` above `Int64.max`, is refused.
package struct JSONValueEncoder {
    package init() {}

    package func encode(_ value: some Encodable) throws -> JSONValue {
        let encoder = ValueEncoder(parent: nil, key: nil)
        try value.encode(to: encoder)
        return encoder.resolved
    }
}

/// Where an encoder's value goes: containers are handed out before they are filled, so the
/// objects and arrays they fill are references, turned into `JSONValue`s at the end.
private enum Slot {
    case empty
    case value(JSONValue)
    case object(ObjectBuilder)
    case array(ArrayBuilder)
    /// A `superEncoder`, filled after its parent's container.
    case encoder(ValueEncoder)

    var resolved: JSONValue {
        switch self {
        // A value that encoded nothing, as Foundation writes it.
        case .empty: .object([:])
        case .value(let value): value
        case .object(let object): object.resolved
        case .array(let array): array.resolved
        case .encoder(let encoder): encoder.resolved
        }
    }
}

private final class ObjectBuilder {
    var fields: [String: JSONValue] = [:]
    /// Nested containers and super encoders, rare: resolved when the object is.
    var pending: [(key: String, slot: Slot)] = []

    init(capacity: Int = 0) { fields.reserveCapacity(capacity) }

    func set(_ value: JSONValue, for key: String) {
        fields[key] = value
        if !pending.isEmpty { pending.removeAll { $0.key == key } }
    }

    var resolved: JSONValue {
        guard !pending.isEmpty else { return .object(fields) }
        var fields = fields
        for (key, slot) in pending { fields[key] = slot.resolved }
        return .object(fields)
    }
}

private final class ArrayBuilder {
    var items: [JSONValue] = []
    var pending: [(index: Int, slot: Slot)] = []

    var resolved: JSONValue {
        guard !pending.isEmpty else { return .array(items) }
        var items = items
        for (index, slot) in pending { items[index] = slot.resolved }
        return .array(items)
    }
}

private final class ValueEncoder: Encoder {
    // Kept as a parent link and not an array: the path is only needed for an error.
    let parent: ValueEncoder?
    /// Keys of nested containers between the parent and this encoder's key; usually none.
    let between: [any CodingKey]
    let key: (any CodingKey)?
    var slot = Slot.empty

    init(parent: ValueEncoder?, between: [any CodingKey] = [], key: (any CodingKey)?) {
        self.parent = parent
        self.between = between
        self.key = key
    }

    var codingPath: [any CodingKey] {
        guard let parent, let key else { return [] }
        return parent.codingPath + between + [key]
    }

    var userInfo: [CodingUserInfoKey: Any] { [:] }

    var resolved: JSONValue { slot.resolved }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        let object: ObjectBuilder
        if case .object(let existing) = slot {
            object = existing
        } else {
            object = ObjectBuilder(capacity: 16)
            slot = .object(object)
        }
        return KeyedEncodingContainer(KeyedValueEncoding<Key>(encoder: self, object: object, path: []))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        let array: ArrayBuilder
        if case .array(let existing) = slot {
            array = existing
        } else {
            array = ArrayBuilder()
            slot = .array(array)
        }
        return UnkeyedValueEncoding(encoder: self, array: array, path: [])
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { SingleValueEncoding(encoder: self) }

    /// `value`, encoded one level below this encoder.
    func encode(_ value: some Encodable, between: [any CodingKey], key: any CodingKey) throws -> JSONValue {
        let child = ValueEncoder(parent: self, between: between, key: key)
        try value.encode(to: child)
        return child.resolved
    }

    func invalid(_ value: Any, _ path: [any CodingKey], _ reason: String) -> EncodingError {
        EncodingError.invalidValue(value, EncodingError.Context(codingPath: path, debugDescription: reason))
    }

    func integer<T: BinaryInteger>(_ value: T, _ path: @autoclosure () -> [any CodingKey]) throws -> JSONValue {
        guard let integer = Int64(exactly: value) else {
            throw invalid(value, path(), "\(value) is beyond the 64-bit integers JSON values hold here")
        }
        return .integer(integer)
    }

    func whole<T: BinaryFloatingPoint>(_ value: T, _ path: @autoclosure () -> [any CodingKey]) throws -> JSONValue {
        guard let integer = Int64(exactly: value) else {
            throw invalid(value, path(), "\(value) is not a whole number, and the format holds integers only")
        }
        return .integer(integer)
    }
}

private struct KeyedValueEncoding<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let encoder: ValueEncoder
    let object: ObjectBuilder
    /// Keys below the encoder's own, for a nested container.
    let path: [any CodingKey]

    var codingPath: [any CodingKey] { encoder.codingPath + path }

    private func pathTo(_ key: Key) -> [any CodingKey] { codingPath + [key] }

    mutating func encodeNil(forKey key: Key) throws { object.set(.null, for: key.stringValue) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { object.set(.bool(value), for: key.stringValue) }
    mutating func encode(_ value: String, forKey key: Key) throws { object.set(.string(value), for: key.stringValue) }
    mutating func encode(_ value: Double, forKey key: Key) throws {
        object.set(try encoder.whole(value, pathTo(key)), for: key.stringValue)
    }
    mutating func encode(_ value: Float, forKey key: Key) throws {
        object.set(try encoder.whole(value, pathTo(key)), for: key.stringValue)
    }
    mutating func encode(_ value: Int, forKey key: Key) throws { object.set(.integer(Int64(value)), for: key.stringValue) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { object.set(.integer(Int64(value)), for: key.stringValue) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { object.set(.integer(Int64(value)), for: key.stringValue) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { object.set(.integer(Int64(value)), for: key.stringValue) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { object.set(.integer(value), for: key.stringValue) }
    mutating func encode(_ value: UInt, forKey key: Key) throws {
        object.set(try encoder.integer(value, pathTo(key)), for: key.stringValue)
    }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { object.set(.integer(Int64(value)), for: key.stringValue) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { object.set(.integer(Int64(value)), for: key.stringValue) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { object.set(.integer(Int64(value)), for: key.stringValue) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws {
        object.set(try encoder.integer(value, pathTo(key)), for: key.stringValue)
    }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        object.set(try encoder.encode(value, between: path, key: key), for: key.stringValue)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key)
        -> KeyedEncodingContainer<NestedKey>
    {
        let nested = ObjectBuilder()
        object.fields[key.stringValue] = nil
        object.pending.append((key.stringValue, .object(nested)))
        return KeyedEncodingContainer(KeyedValueEncoding<NestedKey>(encoder: encoder, object: nested, path: path + [key]))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let nested = ArrayBuilder()
        object.fields[key.stringValue] = nil
        object.pending.append((key.stringValue, .array(nested)))
        return UnkeyedValueEncoding(encoder: encoder, array: nested, path: path + [key])
    }

    mutating func superEncoder() -> any Encoder { superEncoder(named: SuperKey.super) }

    mutating func superEncoder(forKey key: Key) -> any Encoder { superEncoder(named: key) }

    private func superEncoder(named key: any CodingKey) -> any Encoder {
        let child = ValueEncoder(parent: encoder, between: path, key: key)
        object.fields[key.stringValue] = nil
        object.pending.append((key.stringValue, .encoder(child)))
        return child
    }
}

private enum SuperKey: String, CodingKey {
    case `super`
}

/// A position in an array, as a coding key.
struct IndexKey: CodingKey {
    let intValue: Int?
    var stringValue: String { "\(intValue ?? 0)" }

    init(_ index: Int) { intValue = index }
    init?(intValue: Int) { self.intValue = intValue }
    init?(stringValue: String) { nil }
}

private struct UnkeyedValueEncoding: UnkeyedEncodingContainer {
    let encoder: ValueEncoder
    let array: ArrayBuilder
    let path: [any CodingKey]

    var codingPath: [any CodingKey] { encoder.codingPath + path }
    var count: Int { array.items.count }

    private var nextPath: [any CodingKey] { codingPath + [IndexKey(count)] }

    mutating func encodeNil() throws { array.items.append(.null) }
    mutating func encode(_ value: Bool) throws { array.items.append(.bool(value)) }
    mutating func encode(_ value: String) throws { array.items.append(.string(value)) }
    mutating func encode(_ value: Double) throws { array.items.append(try encoder.whole(value, nextPath)) }
    mutating func encode(_ value: Float) throws { array.items.append(try encoder.whole(value, nextPath)) }
    mutating func encode(_ value: Int) throws { array.items.append(.integer(Int64(value))) }
    mutating func encode(_ value: Int8) throws { array.items.append(.integer(Int64(value))) }
    mutating func encode(_ value: Int16) throws { array.items.append(.integer(Int64(value))) }
    mutating func encode(_ value: Int32) throws { array.items.append(.integer(Int64(value))) }
    mutating func encode(_ value: Int64) throws { array.items.append(.integer(value)) }
    mutating func encode(_ value: UInt) throws { array.items.append(try encoder.integer(value, nextPath)) }
    mutating func encode(_ value: UInt8) throws { array.items.append(.integer(Int64(value))) }
    mutating func encode(_ value: UInt16) throws { array.items.append(.integer(Int64(value))) }
    mutating func encode(_ value: UInt32) throws { array.items.append(.integer(Int64(value))) }
    mutating func encode(_ value: UInt64) throws { array.items.append(try encoder.integer(value, nextPath)) }

    mutating func encode<T: Encodable>(_ value: T) throws {
        array.items.append(try encoder.encode(value, between: path, key: IndexKey(count)))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type)
        -> KeyedEncodingContainer<NestedKey>
    {
        let nested = ObjectBuilder()
        let key = IndexKey(count)
        array.pending.append((count, .object(nested)))
        array.items.append(.null)
        return KeyedEncodingContainer(KeyedValueEncoding<NestedKey>(encoder: encoder, object: nested, path: path + [key]))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let nested = ArrayBuilder()
        let key = IndexKey(count)
        array.pending.append((count, .array(nested)))
        array.items.append(.null)
        return UnkeyedValueEncoding(encoder: encoder, array: nested, path: path + [key])
    }

    mutating func superEncoder() -> any Encoder {
        let child = ValueEncoder(parent: encoder, between: path, key: IndexKey(count))
        array.pending.append((count, .encoder(child)))
        array.items.append(.null)
        return child
    }
}

private struct SingleValueEncoding: SingleValueEncodingContainer {
    let encoder: ValueEncoder

    var codingPath: [any CodingKey] { encoder.codingPath }

    private func set(_ value: JSONValue) { encoder.slot = .value(value) }

    mutating func encodeNil() throws { set(.null) }
    mutating func encode(_ value: Bool) throws { set(.bool(value)) }
    mutating func encode(_ value: String) throws { set(.string(value)) }
    mutating func encode(_ value: Double) throws { set(try encoder.whole(value, codingPath)) }
    mutating func encode(_ value: Float) throws { set(try encoder.whole(value, codingPath)) }
    mutating func encode(_ value: Int) throws { set(.integer(Int64(value))) }
    mutating func encode(_ value: Int8) throws { set(.integer(Int64(value))) }
    mutating func encode(_ value: Int16) throws { set(.integer(Int64(value))) }
    mutating func encode(_ value: Int32) throws { set(.integer(Int64(value))) }
    mutating func encode(_ value: Int64) throws { set(.integer(value)) }
    mutating func encode(_ value: UInt) throws { set(try encoder.integer(value, codingPath)) }
    mutating func encode(_ value: UInt8) throws { set(.integer(Int64(value))) }
    mutating func encode(_ value: UInt16) throws { set(.integer(Int64(value))) }
    mutating func encode(_ value: UInt32) throws { set(.integer(Int64(value))) }
    mutating func encode(_ value: UInt64) throws { set(try encoder.integer(value, codingPath)) }

    mutating func encode<T: Encodable>(_ value: T) throws {
        // The value encodes itself into this same encoder, as Foundation's does.
        try value.encode(to: encoder)
    }
}
