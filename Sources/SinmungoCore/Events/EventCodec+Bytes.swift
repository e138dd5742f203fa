import SinmungoJSON

extension EventCodec {
    /// `decode(type:schemaVersion:data:)` over the data's UTF-8 bytes read in place, as the
    /// replay path reads them from a stored column, with the same errors.
    package static func decode(type: String, schemaVersion: Int, dataUTF8 bytes: UnsafeRawBufferPointer)
        throws(DecodingFailure) -> CaseEvent
    {
        guard let fields = try? JSONValue.parseObjectFields(bytes) else {
            // Rare: let the text path name what is wrong, in the order it checks.
            return try decode(type: type, schemaVersion: schemaVersion, data: String(decoding: bytes, as: UTF8.self))
        }
        return try decode(type: type, schemaVersion: schemaVersion, fields: fields)
    }
}
